"""Russian names the brief needs that the data give in English only: treaties and cities.

Treaties: DESTA's English wording and the usual Russian name.

DESTA names a treaty by its parties or its official English name; the Russian names are the
treaties' usual Russian names (Union State, CIS, EurAsEC, Common Economic Space, Customs Union,
EAEU). A name with no Russian entry is shown as DESTA writes it in both editions.
"""

from __future__ import annotations

#: DESTA name -> Russian name
TREATY_NAMES_RU: dict[str, str] = {
    "Belarus Russia": "Договор между Беларусью и Россией",
    "Belarus Russia (Union State)": "Договор о создании Союзного государства Беларуси и России",
    "Commonwealth of Independent States (CIS)": "Соглашение стран Содружества Независимых Государств (СНГ)",
    "Commonwealth of Independent States (CIS) Common Agrarian Market (CAM)": "Общий аграрный рынок стран СНГ",
    "Eurasian Economic Community (EAEC)": "Договор об учреждении Евразийского экономического сообщества (ЕврАзЭС)",
    "Eurasian Economic Community (Union of the Five)": "Договор об углублении интеграции («союз пяти»)",
    "Common Economic Zone": "Соглашение о формировании Единого экономического пространства",
    "Belarus Kazakhstan Russia": "Таможенный союз Беларуси, Казахстана и России",
    "Eurasian Economic Union (EAEU)": "Договор о Евразийском экономическом союзе (ЕАЭС)",
    "Belarus Kazakhstan": "Договор между Беларусью и Казахстаном",
    "Kazakhstan Russia": "Договор между Казахстаном и Россией",
}


def treaty_name(desta_name: str) -> dict[str, str]:
    """``{"en": ..., "ru": ...}`` for a DESTA treaty name (Russian falls back to DESTA's)."""
    return {"en": desta_name, "ru": TREATY_NAMES_RU.get(desta_name, desta_name)}


#: English (registry) city name -> Russian, for the cities of the seeded enterprises
CITY_NAMES_RU: dict[str, str] = {
    "Minsk": "Минск", "Zhodino": "Жодино", "Gomel": "Гомель", "Babruysk": "Бобруйск",
    "Zhlobin": "Жлобин", "Grodno": "Гродно", "Novopolotsk": "Новополоцк", "Mozyr": "Мозырь",
    "Salihorsk": "Солигорск", "Brest": "Брест", "Vitebsk": "Витебск", "Mogilev": "Могилёв",
    "Magnitogorsk": "Магнитогорск", "Chelyabinsk": "Челябинск", "Miass": "Миасс",
    "Zlatoust": "Златоуст", "Asha": "Аша", "Satka": "Сатка", "Sosnovsky District": "Сосновский район",
    "Karabash": "Карабаш", "Kyshtym": "Кыштым", "Troitsk": "Троицк", "Kopeysk": "Копейск",
}


def city_name(city: str, lang: str) -> str:
    """The city in ``lang`` (Russian from :data:`CITY_NAMES_RU`, else as registered)."""
    return CITY_NAMES_RU.get(city, city) if lang == "ru" else city


#: Lall (2000) technology classes and BEC end-use classes as the profile names them -> Russian
CLASS_NAMES_RU: dict[str, str] = {
    "High technology manufactures: electronic and electrical": "Высокотехнологичные изделия: электроника и электротехника",
    "High technology manufactures: other": "Высокотехнологичные изделия: прочие",
    "Low technology manufactures: other products": "Низкотехнологичные изделия: прочие",
    "Low technology manufactures: textile, garment and footwear": "Низкотехнологичные изделия: текстиль, одежда, обувь",
    "Medium technology manufactures: automotive": "Среднетехнологичные изделия: автомобилестроение",
    "Medium technology manufactures: engineering": "Среднетехнологичные изделия: машиностроение",
    "Medium technology manufactures: process": "Среднетехнологичные изделия: химия и металлургия (процессные)",
    "Primary products": "Сырьевые товары",
    "Resource-based manufactures: agro-based": "Ресурсоёмкие изделия: на основе сельхозсырья",
    "Resource-based manufactures: other": "Ресурсоёмкие изделия: прочие",
    "Unclassified products": "Неклассифицированные товары",
    "unclassified": "неклассифицированные",
    "capital": "инвестиционные товары",
    "consumption": "потребительские товары",
    "intermediate": "промежуточные товары",
    "mixed": "смешанного назначения",
}


#: plain short names of HS headings common in the briefs (English, Russian); the full HS text is
#: in the annex. Other headings are shortened from the nomenclature's text.
SHORT_PRODUCT_NAMES: dict[str, tuple[str, str]] = {
    "7208": ("hot-rolled flat steel", "горячекатаный плоский прокат"),
    "7209": ("cold-rolled flat steel", "холоднокатаный плоский прокат"),
    "7210": ("coated flat steel", "плоский прокат с покрытием"),
    "7213": ("steel wire rod", "катанка"),
    "7214": ("steel bars", "стальные прутки"),
    "7304": ("seamless steel pipes", "бесшовные стальные трубы"),
    "7305": ("large-diameter steel pipes", "трубы большого диаметра"),
    "7312": ("steel wire ropes", "стальные канаты"),
    "7202": ("ferroalloys", "ферросплавы"),
    "4011": ("tyres", "шины"),
    "8408": ("diesel engines", "дизельные двигатели"),
    "8409": ("engine parts", "части двигателей"),
    "8429": ("bulldozers, graders and excavators", "бульдозеры, грейдеры, экскаваторы"),
    "8432": ("soil-working machinery", "почвообрабатывающая техника"),
    "8433": ("harvesters", "уборочная техника (комбайны)"),
    "8701": ("tractors", "тракторы"),
    "8704": ("trucks and dump trucks", "грузовые автомобили и самосвалы"),
    "8708": ("vehicle parts", "автокомпоненты"),
    "8716": ("trailers", "прицепы"),
    "8418": ("refrigerators", "холодильники"),
    "3104": ("potash fertilisers", "калийные удобрения"),
    "2710": ("petroleum products", "нефтепродукты"),
    "0402": ("milk powder and concentrated milk", "сухое и сгущённое молоко"),
    "0406": ("cheese", "сыры"),
    "1902": ("pasta", "макаронные изделия"),
}
