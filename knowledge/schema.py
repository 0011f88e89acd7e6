"""Typed model of the knowledge base.

Japanese text is quoted from the seed document (`shared/seed/digital-10-principles.txt`);
English text is our translation and is always presented as such.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

FACETS = ("overview", "direction", "actions", "kpi", "first_step", "roadmap", "checklist")
INTENTS = (
    "principle",
    "list",
    "glossary",
    "quiz",
    "progress",
    "subscribe",
    "unsubscribe",
    "help",
    "smalltalk",
    "out_of_scope",
)


class _Strict(BaseModel):
    # A misspelt key in a YAML edit must fail loudly, not be silently dropped.
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Strict):
    ja: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.ja


class Aliases(_Strict):
    ja: list[str] = []
    en: list[str] = []


class Stage(_Strict):
    """A group of actions in 「２．取組の方向性」, e.g. 企画段階."""

    name: Text
    actions: list[Text] = Field(min_length=1)


class Kpi(_Strict):
    examples: list[Text] = Field(min_length=1)  # 「３．…KPI設定の例示」 on the principle's page
    output: list[Text] = []  # logic model: アウトプットKPI例
    outcome: list[Text] = []  # logic model: アウトカムKPI例


class Initiative(_Strict):
    """One row of the principle's roadmap table (取組 / 推進部署 / timeline)."""

    name: Text
    department: Text
    # Milestones in the order the roadmap shows them (FY2022 H2 → FY2025). The extracted
    # text does not keep the chart's columns, so a period is given only where the text says it.
    timeline: list[Text] = []


class Principle(_Strict):
    number: int = Field(ge=1, le=10)
    title: Text
    aliases: Aliases = Aliases()
    # Topics that point at this principle ("アクセシビリティ" → #3), used by the matcher.
    keywords: Aliases = Aliases()
    action_principle: Text  # １．行動原則
    explanation: list[Text] = Field(min_length=1)  # ■ “…”とは bullets
    direction: Text  # ２．取組の方向性 (the lead sentence)
    stages: list[Stage] = Field(min_length=1)
    action_examples: list[Text] = Field(min_length=1)  # logic model: 具体的なアクション例
    kpi: Kpi
    first_step: Text  # as in the summary table (一覧)
    first_step_page: Text | None = None  # wording on the principle's own page, where it differs
    focus_initiatives: list[Text] = Field(min_length=1)  # 当面の重点的な取組 (一覧)
    roadmap: list[Initiative] = Field(min_length=1)
    roadmap_notes: list[Text] = []  # e.g. ※ the 3-hour first-report target
    checklist: list[Text] = Field(min_length=1)  # 目標設定の視点

    def source(self, lang: str) -> str:
        return f"#{self.number} {self.title.get(lang)}"


class Term(_Strict):
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    term: Text
    aliases: Aliases = Aliases()
    definition: Text
    principles: list[int] = []

    @field_validator("principles")
    @classmethod
    def _principles_in_range(cls, value: list[int]) -> list[int]:
        bad = [n for n in value if not 1 <= n <= 10]
        if bad:
            raise ValueError(f"principle numbers must be 1-10, got {bad}")
        return value


class IntentExamples(_Strict):
    intent: str
    examples: Aliases

    @field_validator("intent")
    @classmethod
    def _known_intent(cls, value: str) -> str:
        if value not in INTENTS:
            raise ValueError(f"unknown intent {value!r}; use one of: {', '.join(INTENTS)}")
        return value


class Cues(_Strict):
    """Words that signal a facet or an intent inside a longer question."""

    facets: dict[str, Aliases]
    list_all: Aliases  # 全部, 一覧, every …
    definition: Aliases  # とは, 意味, what is …
    which_principle: Aliases  # どの条, which principle …

    @field_validator("facets")
    @classmethod
    def _known_facets(cls, value: dict[str, Aliases]) -> dict[str, Aliases]:
        unknown = sorted(set(value) - set(FACETS))
        if unknown:
            raise ValueError(f"unknown facet(s) {unknown}; use one of: {', '.join(FACETS)}")
        return value


class KnowledgeBase(_Strict):
    principles: list[Principle]
    glossary: list[Term]
    intents: list[IntentExamples]
    cues: Cues

    @model_validator(mode="after")
    def _complete(self) -> KnowledgeBase:
        numbers = sorted(p.number for p in self.principles)
        if numbers != list(range(1, 11)):
            raise ValueError(f"principles must be exactly #1-#10 once each, found {numbers}")
        ids = [t.id for t in self.glossary]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"glossary ids must be unique, repeated: {dupes}")
        return self

    def principle(self, number: int) -> Principle:
        return self.principles[number - 1]

    def term(self, term_id: str) -> Term | None:
        return next((t for t in self.glossary if t.id == term_id), None)
