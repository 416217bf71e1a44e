"""Plausible heads of household for Bắc Kạn, where most people are Tày, Nùng, Dao, H'Mông or Kinh: names
drawn from family names common in the province, and 12-digit personal identification numbers of the
right shape (province of birth 006, a century-and-sex digit, the birth year, six digits)."""

from __future__ import annotations

import random
from dataclasses import dataclass

FAMILY_NAMES = (
    "Hoàng",
    "Nông",
    "Ma",
    "Lục",
    "Triệu",
    "Hà",
    "Lường",
    "Bế",
    "Đàm",
    "Nguyễn",
    "Lý",
    "Dương",
    "Trần",
    "Phùng",
    "Lò",
    "Hứa",
    "Mông",
    "Đinh",
)
MIDDLE_MALE = ("Văn", "Đức", "Minh", "Quang", "Hữu")
MIDDLE_FEMALE = ("Thị", "Thu", "Ngọc", "Hồng")
GIVEN_MALE = (
    "Minh",
    "Tuấn",
    "Hùng",
    "Dũng",
    "Sơn",
    "Thắng",
    "Bình",
    "Cường",
    "Toàn",
    "Hải",
    "Lâm",
    "Phúc",
    "Chiến",
    "Tùng",
    "Khải",
)
GIVEN_FEMALE = ("Lan", "Hoa", "Mai", "Hương", "Thảo", "Nhung", "Liên", "Duyên", "Hạnh", "Yến", "Thơm", "Nga")


@dataclass(frozen=True)
class Head:
    full_name: str
    national_id: str
    phone: str | None


def make_head(rng: random.Random) -> Head:
    female = rng.random() < 0.35
    middle = rng.choice(MIDDLE_FEMALE if female else MIDDLE_MALE)
    given = rng.choice(GIVEN_FEMALE if female else GIVEN_MALE)
    birth_year = rng.randint(1950, 2002)
    century_sex = (0 if birth_year < 2000 else 2) + (1 if female else 0)
    national_id = f"006{century_sex}{birth_year % 100:02d}{rng.randint(0, 999_999):06d}"
    phone = f"09{rng.randint(10_000_000, 99_999_999)}" if rng.random() < 0.6 else None
    return Head(f"{rng.choice(FAMILY_NAMES)} {middle} {given}", national_id, phone)
