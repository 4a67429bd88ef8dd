import pytest

# The shared helpers in tests/support.py assert too: rewrite them like test modules, so a failure
# shows its values. (Registered here, before any test module imports them.)
pytest.register_assert_rewrite("tests.support")
