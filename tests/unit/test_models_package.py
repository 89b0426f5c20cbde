"""``openrouter_funcs.models``: every model name listed before it is loaded, unknown names refused."""

from __future__ import annotations

import pytest

from openrouter_funcs import models
from openrouter_funcs.models._index import MODULES


def test_dir_lists_every_model_loaded_or_not() -> None:
    names = dir(models)
    assert set(MODULES) <= set(names)
    assert names == sorted(names)
    assert "ChatResult" in names


def test_a_name_is_loaded_from_its_own_module_once() -> None:
    chat_result = models.ChatResult
    assert chat_result.__module__ == MODULES["ChatResult"]
    assert models.ChatResult is chat_result
    assert vars(models)["ChatResult"] is chat_result  # cached in the package


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="has no attribute 'NoSuchModel'"):
        _ = models.NoSuchModel
    assert not hasattr(models, "chat_result_but_wrong")
