"""Fixtures shared by the portal's integration tests."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator

import pytest

from portal.app import create_app
from portal.config import use_settings


@pytest.fixture
def client(client):
    """The shared browser, showing redirects instead of following them."""
    client.follow_redirects = False
    return client


@pytest.fixture
def other_client(other_client):
    """The second browser, showing redirects instead of following them."""
    other_client.follow_redirects = False
    return other_client


@pytest.fixture
def build_app(db, settings) -> Iterator[Callable]:
    """Build an app on the test database with some settings changed; restore them after."""

    def build(**changes):
        return create_app(dataclasses.replace(settings, **changes))

    yield build
    use_settings(settings)
