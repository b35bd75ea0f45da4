"""One status per refusal: the importer's JSON routes and the portal's pages answer every Komet refusal with
the same HTTP status (a missing carrier is 404 on both, not 404 on one and 409 on the other)."""

from __future__ import annotations

import pytest

from komet_sim import importer_actions
from komet_sim.app import create_app
from komet_sim.domain import errors
from komet_sim.portal import base

REFUSALS = [
    cls
    for cls in vars(errors).values()
    if isinstance(cls, type) and issubclass(cls, errors.KometError) and cls is not errors.KometError
]


def refusal(cls: type[errors.KometError]) -> errors.KometError:
    """An instance without its message's values (the status never depends on them)."""
    exc = cls.__new__(cls)
    exc.field, exc.message, exc.values = "f", "refused", {}
    return exc


@pytest.fixture(scope="module")
def app():
    return create_app()


@pytest.mark.parametrize("cls", REFUSALS, ids=lambda c: c.__name__)
def test_json_route_and_page_answer_a_refusal_with_one_status(app, cls):
    exc = refusal(cls)
    with app.test_request_context("/"):
        _, json_status = importer_actions.refused(exc)
        _, page_status = base.refused(exc)
    assert json_status == page_status


def test_a_missing_carrier_is_404_and_a_bad_parameter_400(app):
    with app.test_request_context("/"):
        assert importer_actions.refused(refusal(errors.CarrierNotFound))[1] == 404
        assert base.refused(refusal(errors.CarrierNotFound))[1] == 404
        assert base.refused(refusal(errors.InvalidParam))[1] == 400
        assert importer_actions.refused(refusal(errors.OverConfirm))[1] == 409
