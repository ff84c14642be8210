"""Per-app registries (``community.core.registry``): each app keeps its own entries."""

import pytest
from flask import Flask

from community.core.registry import Providers, Registry, app_state


def test_a_name_is_registered_once_unless_a_later_one_may_replace_it():
    app = Flask(__name__)
    kinds: Registry[int] = Registry("test.kinds", "test kind")
    links: Registry[int] = Registry("test.links", "test link", replace=True)
    kinds.register(app, "a", 1)
    with pytest.raises(RuntimeError, match="test kind 'a' registered twice"):
        kinds.register(app, "a", 2)
    links.register(app, "a", 1)
    links.register(app, "a", 2)
    with app.app_context():
        assert kinds.get("a") == 1
        assert links.get("a") == 2
        assert kinds.find("b") is None
        assert "a" in kinds and "b" not in kinds
        assert dict(kinds.all()) == {"a": 1}
        with pytest.raises(KeyError):
            kinds.get("b")


def test_each_app_reads_only_what_was_registered_in_it():
    first, second = Flask(__name__), Flask(__name__)
    kinds: Registry[str] = Registry("test.kinds", "test kind")
    kinds.register(first, "a", "first")
    with first.app_context():
        assert kinds.find("a") == "first"
    with second.app_context():
        assert kinds.find("a") is None
        assert dict(kinds.all()) == {}


def test_providers_are_read_lowest_order_first_then_as_registered():
    app = Flask(__name__)
    sections: Providers[str] = Providers("test.sections")
    sections.add(app, "b", order=50)
    sections.add(app, "a", order=10)
    sections.add(app, "c", order=50)
    sections.add(app, "z")
    with app.app_context():
        assert sections.all() == ["z", "a", "b", "c"]
    with Flask(__name__).app_context():
        assert sections.all() == []


def test_app_state_is_built_once_per_app():
    first, second = Flask(__name__), Flask(__name__)
    app_state("test.state", first)["built"] = 1
    assert app_state("test.state", first) == {"built": 1}
    assert app_state("test.state", second) == {}
    with first.app_context():
        assert app_state("test.state") is app_state("test.state", first)
