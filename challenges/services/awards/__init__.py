"""Budget awards, implementation owners and updates, challenge results.

Modules: ``rules`` (pure rules: stages, amounts, percentages, CSV cells), ``views`` (what is
shown), ``read`` (an idea's funding, a challenge's results), the writes ``award`` (awarding
budget), ``owner`` (naming owners) and ``updates`` (posting updates) with the ``checks`` they
share, ``export`` (results as CSV and JSON). The names below are the public interface.
"""

from challenges.services.awards.award import AwardInput, award_budget
from challenges.services.awards.export import (
    CsvExport,
    ResultsExport,
    results_csv,
    results_export,
)
from challenges.services.awards.owner import OwnerInput, check_owner_picker, set_owner
from challenges.services.awards.read import get_funding, get_idea_funding, get_results
from challenges.services.awards.rules import MAX_NOTE, SHOWN_STAGES, is_fundable
from challenges.services.awards.updates import UpdateInput, post_update
from challenges.services.awards.views import (
    AwardView,
    BudgetExceeded,
    BudgetSummary,
    ChallengeResults,
    Granted,
    IdeaFunding,
    OwnerSet,
    PersonRef,
    Posted,
    ResultRow,
    UpdateView,
)

__all__ = [
    "MAX_NOTE",
    "SHOWN_STAGES",
    "AwardInput",
    "AwardView",
    "BudgetExceeded",
    "BudgetSummary",
    "ChallengeResults",
    "CsvExport",
    "Granted",
    "IdeaFunding",
    "OwnerInput",
    "OwnerSet",
    "PersonRef",
    "Posted",
    "ResultRow",
    "ResultsExport",
    "UpdateInput",
    "UpdateView",
    "award_budget",
    "check_owner_picker",
    "get_funding",
    "get_idea_funding",
    "get_results",
    "is_fundable",
    "post_update",
    "results_csv",
    "results_export",
    "set_owner",
]
