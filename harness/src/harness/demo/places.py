"""The 8 pilot communes/wards of the 2023 smartphone programme (DESIGN.md §7), with what shapes their figures."""

from dataclasses import dataclass


@dataclass(frozen=True)
class PilotCommune:
    code: str
    name: str
    area: str
    households: int
    poor_share_2022: float
    dti_strength: float  # 0..1: how far along its digital transformation is, for the DTI values


PILOT_COMMUNES = (
    PilotCommune("01837", "Phường Sông Cầu", "urban", 40, 0.06, 0.92),
    PilotCommune("02017", "Xã Quang Thuận", "rural", 40, 0.24, 0.55),
    PilotCommune("01912", "Xã Thượng Giáo", "rural", 40, 0.27, 0.48),
    PilotCommune("02071", "Xã Nghĩa Tá", "rural", 40, 0.25, 0.52),
    PilotCommune("02122", "Xã Như Cố", "rural", 40, 0.22, 0.61),
    PilotCommune("01951", "Xã Đức Vân", "rural", 40, 0.28, 0.44),
    PilotCommune("02173", "Xã Côn Minh", "rural", 40, 0.30, 0.40),
    PilotCommune("01870", "Xã Giáo Hiệu", "rural", 40, 0.32, 0.36),
)
