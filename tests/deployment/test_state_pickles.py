"""With several web workers the state of every tab travels through Redis as a pickle: a State
holding something that cannot be pickled (a lock, a session, a generator) breaks every event of
its page there. tests/deployment/test_two_processes.py shows the round trip with real events."""

import billing_app.billing_app  # noqa: F401  (the app and every page's states, as `reflex run` loads them)
from reflex.state import State


def state_tree(state):
    yield state
    for substate in state.substates.values():
        yield from state_tree(substate)


def test_every_state_of_the_app_survives_the_trip_through_redis():
    states = list(state_tree(State(_reflex_internal_init=True)))
    names = {type(state).__name__ for state in states}

    assert {"AuthState", "InvoicesState", "HomeState"} <= names  # the app's states are there
    for state in states:
        restored = type(state)._deserialize(state._serialize())
        assert restored.__getstate__() == state.__getstate__(), type(state).__name__
