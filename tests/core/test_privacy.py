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


def test_a_figure_the_viewer_could_work_back_is_not_shown():
    from verbind.core.privacy import may_show_to

    assert may_show_to(10, 0)
    assert not may_show_to(9, 0)  # too small a group
    assert not may_show_to(10, 1)  # 9 people the viewer cannot see: too few
    assert may_show_to(20, 10)
    assert not may_show_to(19, 10)
    with pytest.raises(ValueError, match="part of the group"):
        may_show_to(5, 6)
