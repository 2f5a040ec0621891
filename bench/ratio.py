"""A comparison as a ratio measured in one run, and the range its target allows."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Ratio:
    name: str
    value: float
    minimum: float | None = None
    maximum: float | None = None

    @property
    def target(self) -> str:
        if self.minimum is not None and self.maximum is not None:
            return f"{self.minimum:g} to {self.maximum:g}"
        if self.maximum is not None:
            return f"<= {self.maximum:g}x"
        return f">= {self.minimum:g}x" if self.minimum is not None else ""

    @property
    def marker(self) -> str:
        if self.minimum is None and self.maximum is None:
            return ""
        low_ok = self.minimum is None or self.value >= self.minimum
        high_ok = self.maximum is None or self.value <= self.maximum
        return "pass" if low_ok and high_ok else "MISS"
