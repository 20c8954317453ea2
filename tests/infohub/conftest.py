from tests.infohub.factories import body, other_body  # noqa: F401  (fixtures)
