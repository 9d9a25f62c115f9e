"""The composers a user can choose (``QA_COMPOSER``, ``--composer``): name →
factory. A new composer is one module implementing ``qa.composer.Composer``
and one line in ``COMPOSERS``. The factories import their module only when
chosen, so the extractive path never loads the model client.
"""

from __future__ import annotations

from typing import Callable

from index.settings import Settings

from .composer import Composer


def _extractive(settings: Settings) -> Composer:
    from .extractive import ExtractiveComposer

    return ExtractiveComposer(settings)


def _llm(settings: Settings) -> Composer:
    from .llm import LLMComposer

    return LLMComposer(settings)


# The composers a user can choose (QA_COMPOSER): name -> factory.
COMPOSERS: dict[str, Callable[[Settings], Composer]] = {"extractive": _extractive, "llm": _llm}


def get_composer(name: str, settings: Settings) -> Composer:
    try:
        factory = COMPOSERS[name]
    except KeyError:
        raise ValueError(f"unknown composer {name!r}; choose one of {', '.join(COMPOSERS)}") from None
    return factory(settings)
