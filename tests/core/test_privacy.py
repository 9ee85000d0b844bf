"""The smallest group an organisation may see figures about: 10 people."""

from __future__ import annotations

import pytest

from verbind.core.privacy import MIN_GROUP_SIZE, large_enough


def test_ten_people_is_the_smallest_group():
    assert MIN_GROUP_SIZE == 10
    assert not large_enough(0)
    assert not large_enough(9)
    assert large_enough(10)
    assert large_enough(11)
    assert large_enough(4, minimum=3)


@pytest.mark.parametrize("bad", [-1, 2.5, "10", None, True])
def test_a_number_of_people_must_be_a_whole_number(bad):
    with pytest.raises(ValueError, match="number of people"):
        large_enough(bad)
