"""The one translation function every UI string passes through: `_("End turn")`.

The catalogue is a small built-in dict (English is the key, so an untranslated string falls back
to English instead of showing an id); scenario text is localised in the scenario file itself and
goes through `scenario_text`. A gettext catalogue can replace `_CATALOGUES` later without touching
any caller, because callers only ever see `_()`.
"""

from __future__ import annotations

from collections.abc import Mapping

LANGUAGES: dict[str, str] = {"en": "English", "ja": "日本語"}

_JA: dict[str, str] = {
    "Alliance Desk": "アライアンス・デスク",
    "A policy simulation of military alliances": "軍事同盟の政策シミュレーション",
    "New game": "新しいゲーム",
    "Load game": "ゲームをロード",
    "Settings": "設定",
    "Quit": "終了",
    "Back": "戻る",
    "Continue": "続ける",
    "Start": "開始",
    "Scenarios": "シナリオ",
    "Choose a scenario": "シナリオを選ぶ",
    "Choose your role": "役割を選ぶ",
    "Period": "期間",
    "Difficulty": "難易度",
    "Roles": "役割",
    "Sources": "出典",
    "Hypothetical": "仮想",
    "Partly hypothetical": "一部仮想",
    "Historical": "史実",
    "easy": "易しい",
    "medium": "普通",
    "hard": "難しい",
    "This scenario cannot be played: it has errors.": "このシナリオにはエラーがあるため遊べません。",
    "Mod": "MOD",
    "No scenarios found.": "シナリオが見つかりません。",
    "Briefing": "ブリーフィング",
    "Public briefing": "公開ブリーフィング",
    "Private briefing": "非公開ブリーフィング",
    "Objectives": "目標",
    "Begin": "始める",
    "End turn": "ターン終了",
    "Menu": "メニュー",
    "Turn {turn} of {turns}": "ターン {turn}/{turns}",
    "Key variables": "主要指標",
    "Opinion": "世論",
    "Obligations": "義務",
    "News": "ニュース",
    "No news yet.": "まだニュースはありません。",
    "No obligation has been engaged yet.": "まだ発動した義務はありません。",
    "Decision": "決定",
    "No decision is pending. Set your levers and end the turn.":
        "保留中の決定はありません。政策を調整してターンを終えてください。",
    "Levers": "政策レバー",
    "takes {n} turns to take full effect": "完全な効果まで {n} ターン",
    "takes a turn to take full effect": "完全な効果まで 1 ターン",
    "takes effect at once": "すぐに効果",
    "Advisors": "顧問",
    "Advisors are thinking…": "顧問が検討中…",
    "{name} recommends: {choice}": "{name} の推奨: {choice}",
    "You chose: {choice}": "あなたの選択: {choice}",
    "What really happened": "実際の歴史",
    "Why did this change?": "なぜ変わったのか?",
    "No change last turn.": "前のターンは変化なし。",
    "Paused": "一時停止",
    "Resume": "再開",
    "Save": "セーブ",
    "Load": "ロード",
    "Quit to title": "タイトルへ戻る",
    "UI scale": "UIの大きさ",
    "Language": "言語",
    "Palette": "配色",
    "Colour-blind safe": "色覚多様性に配慮",
    "High contrast": "ハイコントラスト",
    "Close": "閉じる",
    "Saved: {name}": "セーブしました: {name}",
    "Loaded: {name}": "ロードしました: {name}",
    "No saves yet.": "セーブデータがありません。",
    "The save could not be loaded": "セーブを読み込めませんでした",
    "The game goes on.": "ゲームは続きます。",
    "Load the latest autosave": "最新のオートセーブをロード",
    "On": "オン",
    "Off": "オフ",
    "F5: this game has no scenario file to reload.": "F5: このゲームには再読み込みするシナリオファイルがありません。",
    "{path}: the file is missing": "{path}: ファイルがありません",
    "The role '{role}' is gone from the edited scenario.": "編集したシナリオに役割 '{role}' がありません。",
    "{name}: no human role in this save": "{name}: このセーブには人間の役割がありません",
    "Scenario reloaded from disk.": "シナリオをディスクから再読み込みしました。",
    "The edited scenario has errors; the game goes on with the previous version.":
        "編集したシナリオにエラーがあります。以前の版でゲームを続けます。",
    "Debrief": "デブリーフィング",
    "Ending": "結末",
    "Score": "得点",
    "Grade": "評価",
    "Your decisions and history": "あなたの決定と歴史",
    "You": "あなた",
    "History": "歴史",
    "(no decision)": "(決定なし)",
    "Back to title": "タイトルへ",
    "Something went wrong in this frame; the game goes on. Details are in the log.":
        "このフレームでエラーが発生しましたが、ゲームは続きます。詳細はログにあります。",
    "Historical choice": "史実の選択",
    "Closest real choice": "史実で最も近い選択",
    "the same as yours": "あなたと同じ",
    "engaged": "発動",
    "honoured": "履行",
    "evaded": "回避",
    "Obligation ledger": "義務の記録",
    "No obligation was engaged in this game.": "このゲームで発動した義務はありません。",
    "Scope": "範囲",
    "In force, never called on": "発効中だが発動されなかった義務",
    "none recorded for this obligation in the scenario": "このシナリオにはこの義務の史実の記録がありません",
    "Cited by this scenario": "このシナリオが引用する出典",
    "1 other listed source is not cited by this scenario.": "他に 1 件の出典は、このシナリオでは引用されていません。",
    "{n} other listed sources (mostly from shared base files) are not cited by this scenario.":
        "他に {n} 件の出典(主に共通ベースファイルのもの)は、このシナリオでは引用されていません。",
    "Forecast": "予測",
    "Map": "地図",
    "Value": "値",
    "Relation to you": "あなたとの関係",
    "Autosaved.": "オートセーブしました。",
    "The game has ended.": "ゲームが終わりました。",
    "See the debrief": "デブリーフィングへ",
    "cost/effect": "コスト/効果",
    "{amount} per turn for each unit above {pivot}": "{pivot} を超える 1 単位ごとに毎ターン {amount}",
    "{amount} per turn while above {pivot}": "{pivot} を超えている間、毎ターン {amount}",
    "{amount} per turn × {shape}(setting − {pivot})": "毎ターン {amount} × {shape}(設定 − {pivot})",
    "({n} turns later)": "({n} ターン後)",
    "(a turn later)": "(1 ターン後)",
    "Tab: next · Enter: activate · 1–9: choose · E: end turn · Esc: menu · F5: reload scenario":
        "Tab: 次へ · Enter: 決定 · 1–9: 選択 · E: ターン終了 · Esc: メニュー · F5: シナリオ再読込",
}

_CATALOGUES: dict[str, dict[str, str]] = {"en": {}, "ja": _JA}
_language = "en"


def set_language(language: str) -> None:
    """Switch every later `_()` call to `language` (unknown codes fall back to English)."""
    global _language
    _language = language if language in _CATALOGUES else "en"


def current_language() -> str:
    """The language code `_()` translates into."""
    return _language


def _(text: str, **values: object) -> str:
    """`text` in the current language, with `{name}` fields filled from `values`."""
    translated = _CATALOGUES[_language].get(text, text)
    return translated.format(**values) if values else translated


def scenario_text(text: str | Mapping[str, str] | None) -> str:
    """A scenario's localised text (`LocalizedText`) in the current language (English fallback; '' for none).

    The same rule as `game.scenario.models.localized`, written out so that the title screen does not
    wait for the scenario models (pydantic) to load before its first frame.
    """
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    return text.get(_language) or text.get("en") or next(iter(text.values()), "")
