"""Words of each language as data: `data/languages/<code>/<concern>.toml`, one folder per language.

A concern (markers, dates, people, places…) reads every language's file of its name through `language_data`;
adding a language is adding a folder, never code. The `any` folder holds words of no one language.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

ANY_LANGUAGE = "any"
# Codes whose words are another folder's: Norwegian Bokmål and Nynorsk read Norwegian's, and "in" is the code
# Indonesian had before "id".
_FOLDER_OF = {"nb": "no", "nn": "no", "in": "id"}


def language_folder(language: str) -> str:
    """The folder that holds a language's words: its own code, or the folder it shares ("nb" → "no")."""
    return _FOLDER_OF.get(language, language)


@cache
def language_data(concern: str) -> dict[str, dict[str, Any]]:
    """Every language's `<concern>.toml` by language code (`any` included), in code order."""
    folder = resources.files("workers.stages").joinpath("data/languages")
    tables: dict[str, dict[str, Any]] = {}
    for language in sorted(folder.iterdir(), key=lambda item: item.name):
        entry = language.joinpath(f"{concern}.toml")
        if entry.is_file():
            try:
                tables[language.name] = tomllib.loads(entry.read_text(encoding="utf-8"))
            except tomllib.TOMLDecodeError as error:
                raise ValueError(f"data/languages/{language.name}/{concern}.toml: {error}") from error
    return tables
