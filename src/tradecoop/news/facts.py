"""Fact types, polarity and products of one sentence, by trigger lexicons (ru, be, en).

A sentence yields one fact per type whose trigger it contains; ``trade_figure`` and ``target``
need a trade word *and* an amount or a percentage in the sentence; a figure is a ``target`` when
a forward-looking word stands near its trade word ("может дорасти", "will grow", "projected").
Polarity is read in a window before and after the trigger: ``intent`` (proposed, interested,
could, намерена, решили подписать), ``plan`` (will, planned, expected, пройдет, завершится),
otherwise ``fact``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: fact type -> trigger pattern (matched case-insensitively on the sentence)
TRIGGERS: dict[str, str] = {
    "meeting": (r"встреч\w*|встрет\w*|переговор\w*|принял\w*(?:\s+\S+){0,4}?\s+делегаци\w*|"
                r"обсудил\w*|заседани\w*|(?-i:Форум\w*)|"
                r"met with|meeting|talks|discuss\w*|received(?:\s+\S+){0,4}?\s+delegation|(?-i:Forum)|"
                r"сустрэ\w*|перамов\w*|прыня\w*(?:\s+\S+){0,4}?\s+дэлегацы\w*|абмеркавал\w*|"
                r"пасяджэнн\w*"),
    "visit": (r"визит\w*|прибыл\w*|посетил\w*|посетит\w*|посетят|проработает|побывал\w*|"
              r"visit\w*|arrived|toured|"
              r"візіт\w*|наведал\w*|наведа\w*|прыбыл\w*"),
    "agreement": (r"соглашени\w*|договор\w*|подписал\w*|подписан\w*|подписать|подписани\w*|меморандум\w*|"
                  r"побратим\w*|план\w* мероприятий|"
                  r"agreement\w*|signed|memorand\w*|twin cit\w*|treaty|"
                  r"пагадненн\w*|дагавор\w*|падпісал\w*|падпісаць|дамоўленасц\w*|пабрацім\w*"),
    "joint_venture": (r"совместн\w* (?:предприяти\w*|производств\w*|выпуск\w*)|сборк\w*|сборочн\w*|"
                      r"локализ\w*|в партнерстве|в партнёрстве|"
                      r"joint ventures?|joint enterprise|joint production|assembl\w*|locali[sz]\w*|"
                      r"сумесн\w* (?:прадпрыемств\w*|вытворчасц\w*)|зборк\w*|лакаліз\w*"),
    "project": (r"проект\w*|наладить (?:производство|выпуск)|модернизац\w*|строительств\w*|"
                r"projects?\b|construction|building a|"
                r"праект\w*|мадэрнізац\w*|будаўніцтв\w*"),
    "supply": (r"постав(?:ил|ила|или|ит|ят|ки|ок|ка|ку|ляет|ляют|лен\w*)\b|отгруз\w*|направят|"
               r"приступили к работе|"
               r"shipped|deliver\w*|suppl\w*|started work|"
               r"паставі\w*|пастаўк\w*|адгрузі\w*"),
    "purchase": (r"закуп\w*|приобр\w*|купил\w*|выделил\w* .{0,40}на |"
                 r"purchas\w*|bought|acquired|"
                 r"набы\w*|закупк\w*|вылучыл\w*"),
    "investment": (r"инвестиц(?:ии|ий|ия|ию|иями|иях)\b|вложат|вложил\w*|вложени\w*|invest(?:s|ed|ing|ment|ments)?\b|"
                   r"інвестыцы(?:і|й|ю|ямі)\b|уклад(?:уць|зе|занн\w*)\b"),
}
_TRADE = (r"товарооборот\w*|оборот\w* торговли|торгу\w*|торговл\w*|экспорт\w*|импорт\w*|"
          r"сумма контрактов|trade|turnover|exports?|imports?|"
          r"тавараабарот\w*|гандл\w*|гандал\w*|экспарт\w*|імпарт\w*")
_TARGET = (r"может|могут|мог\b|достигн\w*|вырастет|вырастут|составит|дорасти|план\w*|цел\w*|"
           r"will|would|could|may|projected|expected|target\w*|aim\w*|"
           r"можа|дасягне|вырасце|складзе|плану\w*")
_INTENT = (r"может|могут|мог\b|предлож\w*|заинтересован\w*|намерен\w*|решили|готов\w*|хотим|"
           r"could|may|might|propos\w*|suggest\w*|interested|ready|invited|intend\w*|"
           r"можа|прапан\w*|зацікаўлен\w*|вырашыл\w*|гатов\w*")
_PLAN = (r"будет|будут|планир\w*|планиру\w*|планиру|пройдет|пройдёт|завершится|начнет|начнёт|"
         r"направят|посетит|встретится|ожидается|достигнет|вырастет|составит|проработает|"
         r"вложат|в программе|will|shall|planned|plans?|projected|expected|is to|are to|on the agenda|"
         r"будзе|будуць|плану\w*|пройдзе|завершыцца|дасягне|вырасце|пачне|у праграме")
#: product words (stem patterns) -> HS heading
PRODUCTS: list[tuple[str, str]] = [
    (r"трактор\w*|трактар\w*|tractors?|беларус-\d+|belarus-\d+", "8701"),
    (r"самосвал\w*|самазвал\w*|dump trucks?|грузовик\w*|trucks?|белаз\w*|belaz\w*|углевоз\w*", "8704"),
    (r"комбайн\w*|combine\w*|harvesters?", "8433"),
    (r"автобус\w*|buses", "8702"),
    (r"лифт\w*|lifts?|ліфт\w*", "8428"),
    (r"автокомпонент\w*|automobile components|комплектующ\w*", "8708"),
]
POLARITY_WINDOW_BEFORE = 60  # characters before a trigger read for polarity cues
POLARITY_WINDOW_AFTER = 80  # at most this far after it, up to the end of the clause
#: a trigger that is itself a verb in the past tense reports a fact ("встретился", "signed")
_PAST = re.compile(r"(?:ил|ыл|ал|ял|ел|ул|ли|ла|лся|лась|лись|ed|ў|лі)$", re.IGNORECASE)


@dataclass(frozen=True)
class FactCandidate:
    type: str
    polarity: str
    trigger_start: int  # offset of the trigger in the sentence


def _compile(p: str) -> re.Pattern:
    return re.compile(rf"(?<!\w)(?:{p})", re.IGNORECASE)


_TRIGGER_RE = {k: _compile(v) for k, v in TRIGGERS.items()}
_TRADE_RE, _TARGET_RE = _compile(_TRADE), _compile(_TARGET)
_INTENT_RE, _PLAN_RE = _compile(_INTENT), _compile(_PLAN)
_PRODUCT_RE = [(_compile(p), hs) for p, hs in PRODUCTS]


def polarity(sentence: str, at: int, length: int = 0) -> str:
    """``intent``, ``plan`` or ``fact`` from the cue words around position ``at``."""
    trigger = sentence[at: at + length]
    if _PAST.search(trigger) and not _INTENT_RE.search(sentence[max(0, at - 25): at]):
        return "fact"
    after = sentence[at + length: at + length + POLARITY_WINDOW_AFTER]
    after = re.split(r"[,;:—]", after, maxsplit=1)[0]
    window = sentence[max(0, at - POLARITY_WINDOW_BEFORE): at + length] + after
    if _INTENT_RE.search(window):
        return "intent"
    if _PLAN_RE.search(window):
        return "plan"
    return "fact"


def classify(sentence: str, has_amount: bool) -> list[FactCandidate]:
    """Fact candidates of one sentence, in the order of :data:`TRIGGERS` (figures first)."""
    out: list[FactCandidate] = []
    trade = _TRADE_RE.search(sentence)
    if trade and has_amount:
        region = sentence[max(0, trade.start() - 40): trade.end() + 80]
        if _TARGET_RE.search(region):
            pol = "intent" if _INTENT_RE.search(region) else "plan"
            out.append(FactCandidate("target", pol, trade.start()))
        else:
            out.append(FactCandidate("trade_figure", "fact", trade.start()))
    for kind, pattern in _TRIGGER_RE.items():
        m = pattern.search(sentence)
        if m:
            out.append(FactCandidate(kind, polarity(sentence, m.start(), m.end() - m.start()), m.start()))
    return out


def products(sentence: str) -> list[str]:
    """HS headings of the products named in a sentence."""
    found = []
    for pattern, hs in _PRODUCT_RE:
        if pattern.search(sentence) and hs not in found:
            found.append(hs)
    return found
