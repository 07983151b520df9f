"""Challenge analytics for managers: the stage funnel, participation over time and by
department, as numbers (API) and as chart geometry (the page's inline SVG).

Modules: ``views`` (what is shown), ``rules`` (pure: how far an idea got, which periods),
``queries`` (the SQL, all counting done by the database), ``read`` (putting it together,
with the access check), ``shapes`` and ``charts`` (pure chart geometry), ``figures`` (the
page's three charts in the reader's language). The names below are the public interface.
"""

from challenges.services.analytics.figures import Figures, draw
from challenges.services.analytics.read import get_challenge_analytics
from challenges.services.analytics.views import (
    ChallengeAnalytics,
    ChallengeRef,
    DepartmentShare,
    Funnel,
    FunnelStep,
    OffRamp,
    Period,
    Timeline,
    Totals,
)

__all__ = [
    "ChallengeAnalytics",
    "ChallengeRef",
    "DepartmentShare",
    "Figures",
    "Funnel",
    "FunnelStep",
    "OffRamp",
    "Period",
    "Timeline",
    "Totals",
    "draw",
    "get_challenge_analytics",
]
