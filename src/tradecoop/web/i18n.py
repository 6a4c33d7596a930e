"""The workspace's labels in English and Russian, and how a request's language is chosen.

Order: ``?lang=`` in the URL (a shared link shows what its sender saw), then the ``tradecoop_lang``
cookie the toggle sets (it sticks), then ``Accept-Language``, then English. Labels of the brief
itself (criteria, methods, figures) come from :mod:`tradecoop.reports.i18n`.
"""

from __future__ import annotations

from fastapi import Request

from tradecoop.reports import i18n as brief_i18n

LANGS = ("en", "ru")
LANG_COOKIE = "tradecoop_lang"

#: key -> (English, Russian)
_LABELS: dict[str, tuple[str, str]] = {
    "app": ("tradecoop workspace", "Рабочее место tradecoop"),
    "skip": ("Skip to content", "Перейти к содержанию"),
    "nav.pairs": ("Pair overview", "Обзор пары"),
    "nav.opportunities": ("Opportunities", "Возможности"),
    "nav.enterprises": ("Enterprises", "Предприятия"),
    "nav.agreements": ("Agreements", "Соглашения"),
    "nav.projects": ("Projects", "Проекты"),
    "nav.users": ("Users", "Пользователи"),
    "nav.news": ("News review", "Проверка новостей"),
    "news.title": ("News review queue", "Очередь проверки новостей"),
    "news.status": ("Status", "Статус"),
    "news.status.pending": ("pending", "ждёт проверки"),
    "news.status.edited": ("edited", "исправлено"),
    "news.status.accepted": ("accepted", "принято"),
    "news.status.rejected": ("rejected", "отклонено"),
    "news.status.all": ("all", "все"),
    "news.type": ("Fact", "Факт"),
    "news.value": ("Value", "Значение"),
    "news.locations": ("Locations (ISO codes, separated by commas)", "Территории (коды ISO через запятую)"),
    "news.period": ("Period", "Период"),
    "news.date": ("Date", "Дата"),
    "news.unit": ("Unit", "Единица"),
    "news.polarity": ("Fact, plan or intent", "Факт, план или намерение"),
    "news.evidence": ("Evidence in the source text", "Основание в тексте источника"),
    "news.source": ("Source", "Источник"),
    "news.accept": ("Accept", "Принять"),
    "news.reject": ("Reject", "Отклонить"),
    "news.reject_note": ("Why rejected (optional)", "Причина отклонения (необязательно)"),
    "news.save": ("Save the corrections", "Сохранить исправления"),
    "news.edit": ("Correct before accepting", "Исправить перед принятием"),
    "news.record": ("Created record", "Созданная запись"),
    "news.none": ("No facts here.", "Здесь фактов нет."),
    "news.organizations": ("Organisations", "Организации"),
    "news.persons": ("People", "Люди"),
    "fact.meeting": ("meeting", "встреча"), "fact.visit": ("visit", "визит"),
    "fact.agreement": ("agreement", "соглашение"), "fact.joint_venture": ("joint venture", "совместное предприятие"),
    "fact.project": ("project", "проект"), "fact.supply": ("supply", "поставка"),
    "fact.purchase": ("purchase", "закупка"), "fact.trade_figure": ("trade figure", "торговый показатель"),
    "fact.target": ("target", "целевой показатель"), "fact.investment": ("investment", "инвестиции"),
    "fact.other": ("other", "другое"),
    "polarity.fact": ("fact", "факт"), "polarity.plan": ("plan", "план"), "polarity.intent": ("intent", "намерение"),
    "news.entity.figure": ("reported figure", "опубликованная цифра"),
    "news.entity.agreement": ("agreement", "соглашение"),
    "news.entity.project": ("project", "проект"),
    "news.entity.event": ("event", "событие"),
    "news.entity.enterprise": ("enterprise", "предприятие"),
    "nav.api": ("API documentation", "Документация API"),
    "nav.main": ("Main menu", "Главное меню"),
    "lang.switch": ("Русский", "English"),
    "lang.switch_label": ("Switch the language to Russian", "Переключить язык на английский"),
    "signed_in_as": ("Signed in as {name} ({role})", "Вы вошли как {name} ({role})"),
    "role.viewer": ("viewer", "читатель"),
    "role.editor": ("editor", "редактор"),
    "role.admin": ("admin", "администратор"),
    "signout": ("Sign out", "Выйти"),
    "signin.title": ("Sign in", "Вход"),
    "signin.token": ("Your access token", "Ваш ключ доступа"),
    "signin.help": ("The token from “tradecoop users create” or from an administrator.",
                    "Ключ выдаёт команда «tradecoop users create» или администратор."),
    "signin.submit": ("Sign in", "Войти"),
    "signin.failed": ("This token is not valid or its user is inactive.",
                      "Ключ недействителен, или пользователь отключён."),
    "error.title": ("Something went wrong", "Что-то пошло не так"),
    "error.forbidden": ("You are not allowed to do this.", "У вас нет прав на это действие."),
    "error.csrf": ("The request was refused: its form token is missing or out of date. Reload the page and try again.",
                   "Запрос отклонён: нет ключа формы или он устарел. Обновите страницу и повторите."),
    "error.not_found": ("Not found.", "Не найдено."),
    "error.invalid": ("The data are not valid: {message}", "Данные не приняты: {message}"),
    "back": ("Back", "Назад"),
    "pair.title": ("{a} and {b}: at a glance", "{a} и {b}: кратко"),
    "pair.picker": ("Choose a pair", "Выбор пары"),
    "pair.a": ("First location (ISO code)", "Первая территория (код ISO)"),
    "pair.b": ("Second location (ISO code)", "Вторая территория (код ISO)"),
    "pair.show": ("Show", "Показать"),
    "pair.computing": ("Computing the overview from the data… this page updates itself.",
                       "Обзор рассчитывается по данным… страница обновится сама."),
    "pair.updating": ("The registry has changed since this overview was computed; the new one is being computed and will replace it.",
                      "Реестр изменился после расчёта этого обзора; новый рассчитывается и заменит его."),
    "pair.failed": ("The overview could not be computed: {message}", "Обзор рассчитать не удалось: {message}"),
    "pair.ideas": ("Best ideas and the enterprises behind them", "Лучшие идеи и предприятия для них"),
    "pair.makers": ("Enterprises in {loc}", "Предприятия: {loc}"),
    "pair.none": ("no registered enterprise", "нет предприятий в реестре"),
    "pair.makers_in": ("Makers in {loc}", "Производители: {loc}"),
    "pair.buyers_in": ("Buyers and users in {loc}", "Покупатели и потребители: {loc}"),
    "pair.reported": ("Latest reported figures", "Последние официальные и опубликованные цифры"),
    "pair.period": ("Period", "Период"),
    "pair.stated_by": ("Stated by", "Кто сообщил"),
    "pair.headline": ("Headline numbers", "Основные показатели"),
    "pair.agreements": ("Agreements in force", "Действующие соглашения"),
    "pair.turnover": ("Turnover and balance over time", "Товарооборот и сальдо в динамике"),
    "pair.structure": ("Structure of trade each way", "Структура взаимной торговли"),
    "pair.provenance": ("Where the numbers come from", "Откуда данные"),
    "pair.age": ("Data year {year}; computed {at}", "Данные за {year} г.; рассчитано {at}"),
    "pair.unavailable": ("Not available for this pair", "Для этой пары нет данных"),
    "pair.download": ("Download the brief", "Скачать справку"),
    "pair.download_html_en": ("HTML, English", "HTML, английский"),
    "pair.download_html_ru": ("HTML, Russian", "HTML, русский"),
    "pair.estimated": ("estimated", "оценочно"),
    "pair.download_pdf_en": ("PDF, English", "PDF, английский"),
    "pair.download_pdf_ru": ("PDF, Russian", "PDF, русский"),
    "pdf.title": ("The brief as PDF", "Справка в PDF"),
    "pdf.stage.brief": ("Step 1 of 2: computing the brief…", "Шаг 1 из 2: расчёт справки…"),
    "pdf.stage.layout": ("Step 2 of 2: laying out the PDF…", "Шаг 2 из 2: вёрстка PDF…"),
    "pdf.ready": ("The PDF is ready.", "PDF готов."),
    "pdf.download": ("Download the PDF", "Скачать PDF"),
    "pdf.note": ("You can keep working in other tabs meanwhile.", "Пока можно работать в других вкладках."),
    "pdf.failed": ("The PDF could not be made: {message}", "PDF сделать не удалось: {message}"),
    "opp.title": ("Opportunities explorer", "Обзор возможностей"),
    "opp.filter": ("Filter", "Фильтр"),
    "opp.type": ("Type", "Тип"),
    "opp.direction": ("Direction", "Направление"),
    "opp.min_score": ("Minimum score", "Минимальная оценка"),
    "opp.section": ("HS section", "Раздел ТН ВЭД"),
    "opp.sector": ("Sector", "Отрасль"),
    "opp.weights": ("Weights", "Веса критериев"),
    "preset.low_hanging": ("close to what is made now", "близко к нынешнему производству"),
    "preset.balanced": ("balanced (default)", "сбалансированные (по умолчанию)"),
    "preset.long_jump": ("long jumps to complex products", "дальние шаги к сложным товарам"),
    "preset.parsimonious": ("parsimonious", "умеренные"),
    "preset.light_touch": ("light touch", "осторожные"),
    "opp.sort": ("Sort by", "Сортировка"),
    "opp.sort.score": ("score", "оценка"),
    "opp.sort.value": ("value at stake", "объём"),
    "opp.any": ("any", "любой"),
    "opp.apply": ("Apply", "Применить"),
    "opp.csv": ("Export this view as CSV", "Выгрузить эту выборку в CSV"),
    "opp.count": ("{n} ideas", "Идей: {n}"),
    "opp.partners": ("Partner enterprises", "Предприятия-партнёры"),
    "opp.explanation": ("Why it scores as it does", "Из чего складывается оценка"),
    "opp.value": ("Value at stake", "Объём"),
    "opp.method": ("Method", "Метод"),
    "opp.unknown_value": ("not estimated", "не оценён"),
    "opp.criterion": ("Criterion", "Критерий"),
    "opp.contribution": ("Contribution to the score", "Вклад в оценку"),
    "opp.shown_max": ("The first {n} are shown; the CSV holds all of them.",
                      "Показаны первые {n}; в CSV — все."),
    "type.supply": ("supply", "поставки"),
    "type.localisation": ("localisation", "локализация"),
    "type.value_chain": ("value chain", "цепочки создания стоимости"),
    "type.joint_entry": ("joint entry to third markets", "совместный выход на третьи рынки"),
    "type.co_production": ("co-production", "кооперация в производстве"),
    "col.product": ("Product", "Товар"),
    "col.score": ("Score", "Оценка"),
    "col.name": ("Name", "Название"),
    "col.location": ("Location", "Территория"),
    "col.city": ("City", "Город"),
    "col.sector": ("Sector (NACE)", "Отрасль (NACE)"),
    "col.reasons": ("Reasons", "Основания"),
    "col.title": ("Title", "Название"),
    "col.kind": ("Kind", "Вид"),
    "col.status": ("Status", "Статус"),
    "col.parties": ("Parties", "Стороны"),
    "col.signed": ("Signed", "Подписано"),
    "col.stage": ("Stage", "Стадия"),
    "col.next_due": ("Next milestone", "Ближайший этап"),
    "ent.title": ("Enterprise directory", "Справочник предприятий"),
    "ent.search": ("Name in any spelling", "Название в любом написании"),
    "ent.location": ("Location", "Территория"),
    "ent.nace": ("Sector (NACE)", "Отрасль (NACE)"),
    "ent.hs": ("Product (HS code)", "Товар (код ТН ВЭД)"),
    "ent.find": ("Search", "Найти"),
    "ent.results": ("{n} found", "Найдено: {n}"),
    "ent.products": ("Products", "Продукция"),
    "ent.inputs": ("Inputs", "Закупаемое сырьё и комплектующие"),
    "ent.sources": ("Sources", "Источники"),
    "ent.matches": ("Best-matching partners", "Наиболее подходящие партнёры"),
    "ent.aliases": ("Other names", "Другие названия"),
    "ent.website": ("Website", "Сайт"),
    "ent.name_en": ("Name in English", "Название по-английски"),
    "ent.name_ru": ("Name in Russian", "Название по-русски"),
    "ent.name_be": ("Name in Belarusian", "Название по-белорусски"),
    "ent.size_band": ("Size band", "Размерная группа"),
    "ent.description_en": ("Description in English", "Описание по-английски"),
    "ent.description_ru": ("Description in Russian", "Описание по-русски"),
    "ent.new": ("New enterprise", "Новое предприятие"),
    "ent.aliases_help": ("Separated by semicolons", "Через точку с запятой"),
    "ent.description": ("Description", "Описание"),
    "trk.agreements": ("Agreements", "Соглашения"),
    "trk.projects": ("Projects", "Проекты"),
    "trk.new_project": ("New project", "Новый проект"),
    "trk.new_agreement": ("New agreement", "Новое соглашение"),
    "trk.new_enterprise": ("New enterprise", "Новое предприятие"),
    "trk.edit": ("Edit", "Изменить"),
    "trk.save": ("Save", "Сохранить"),
    "trk.close": ("Close", "Закрыть"),
    "trk.milestones": ("Milestones", "Этапы"),
    "trk.events": ("Events", "События"),
    "trk.related": ("Agreements, projects and events", "Соглашения, проекты и события"),
    "trk.date": ("Date", "Дата"),
    "trk.place": ("Place", "Место"),
    "kind.visit": ("visit", "визит"),
    "kind.meeting": ("meeting", "встреча"),
    "kind.forum": ("forum", "форум"),
    "trk.due": ("Due", "Срок"),
    "trk.done": ("Done", "Выполнено"),
    "trk.note": ("Note", "Примечание"),
    "trk.overdue": ("overdue", "просрочено"),
    "trk.open": ("open", "в работе"),
    "trk.completed": ("done", "выполнено"),
    "trk.investment": ("Investment", "Инвестиции"),
    "trk.currency": ("Currency (ISO code)", "Валюта (код ISO)"),
    "trk.jobs": ("Jobs", "Рабочие места"),
    "trk.site": ("Site", "Площадка"),
    "trk.agreement": ("Linked agreement (number)", "Связанное соглашение (номер)"),
    "trk.parties_help": ("Location codes or enterprise numbers, separated by commas (BLR, RU-CHE, #12)",
                         "Коды территорий или номера предприятий через запятую (BLR, RU-CHE, #12)"),
    "trk.products_help": ("HS codes, separated by commas", "Коды ТН ВЭД через запятую"),
    "trk.products": ("Products (HS)", "Товары (ТН ВЭД)"),
    "trk.signed_date": ("Signed on", "Дата подписания"),
    "trk.in_force_date": ("In force since", "Действует с"),
    "trk.document_ref": ("Document reference", "Реквизиты документа"),
    "trk.source": ("Source (URL)", "Источник (URL)"),
    "trk.milestone_row": ("Milestone {n}", "Этап {n}"),
    "trk.saved": ("Saved.", "Сохранено."),
    "trk.none": ("Nothing registered yet.", "Пока ничего не зарегистрировано."),
    "conflict.title": ("Someone else saved this record first", "Запись уже сохранил кто-то другой"),
    "conflict.explain": ("Your changes were not saved. The record is now at version {current}; you edited version {yours}. "
                         "Compare, then apply your values to the current version or discard them.",
                         "Ваши изменения не сохранены. Сейчас у записи версия {current}, а вы редактировали версию {yours}. "
                         "Сравните и либо примените свои значения к текущей версии, либо откажитесь от них."),
    "conflict.field": ("Field", "Поле"),
    "conflict.theirs": ("Saved now", "Сохранено сейчас"),
    "conflict.mine": ("Your value", "Ваше значение"),
    "conflict.reapply": ("Apply my values to the current version", "Применить мои значения к текущей версии"),
    "conflict.discard": ("Discard my changes", "Отказаться от моих изменений"),
    "users.title": ("Users", "Пользователи"),
    "users.name": ("Name", "Имя"),
    "users.role": ("Role", "Роль"),
    "users.active": ("Active", "Активен"),
    "users.create": ("Create a user", "Создать пользователя"),
    "users.token_once": ("The token of {name}, shown only now; hand it over safely:",
                         "Ключ пользователя {name} показан только сейчас; передайте его надёжно:"),
    "kind.intergovernmental": ("intergovernmental", "межправительственное"),
    "kind.inter-regional": ("inter-regional", "межрегиональное"),
    "kind.commercial": ("commercial", "коммерческое"),
    "kind.joint venture": ("joint venture", "совместное предприятие"),
    "kind.memorandum": ("memorandum", "меморандум"),
    "kind.co-production": ("co-production", "кооперация в производстве"),
    "kind.supply contract": ("supply contract", "договор поставки"),
    "kind.investment": ("investment", "инвестиционный проект"),
    "users.actions": ("Actions", "Действия"),
    "users.deactivate": ("Deactivate", "Отключить"),
    "users.reactivate": ("Reactivate", "Включить"),
    "users.reissue": ("New token", "Новый ключ"),
    "users.not_self": ("You cannot deactivate yourself.", "Нельзя отключить самого себя."),
    "yes": ("yes", "да"),
    "no": ("no", "нет"),
}


def label(key: str, lang: str, **fields: object) -> str:
    """The label ``key`` in ``lang`` (``KeyError`` for a key that is not in the catalogue)."""
    text = _LABELS[key][LANGS.index(lang)]
    return text.format(**fields) if fields else text


def kind_label(kind: str | None, lang: str) -> str:
    """A record kind (``joint venture``...) in ``lang``; an unknown kind as stored."""
    if not kind:
        return ""
    return label(f"kind.{kind}", lang) if f"kind.{kind}" in _LABELS else kind


def brief_label(key: str, lang: str, fallback: str, **fields: object) -> str:
    """A label of the briefing pack's catalogue (criteria, methods, figures), else ``fallback``."""
    return brief_i18n.t_or(key, lang, fallback, **fields)


def accept_language(header: str | None) -> str | None:
    """The first of :data:`LANGS` in an ``Accept-Language`` header, by quality (None if none)."""
    best: tuple[float, int, str] | None = None
    for position, part in enumerate((header or "").split(",")):
        tag, _, params = part.strip().partition(";")
        base = tag.strip().lower().split("-")[0]
        if base not in LANGS:
            continue
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0 and (best is None or (quality, -position) > (best[0], best[1])):
            best = (quality, -position, base)
    return best[2] if best else None


def request_lang(request: Request) -> str:
    """The language of this response (see the module docstring for the order)."""
    for candidate in (request.query_params.get("lang"), request.cookies.get(LANG_COOKIE)):
        if candidate in LANGS:
            return candidate
    return accept_language(request.headers.get("accept-language")) or "en"
