"""Budget awards, implementation owners and updates, challenge results.

Modules: ``rules`` (pure rules: stages, amounts, percentages, CSV cells), ``views`` (what is
shown), ``read`` (an idea's funding, a challenge's results), ``write`` (awarding budget,
naming owners, posting updates), ``export`` (results as CSV and JSON). The names below are
the public interface.
"""

from challenges.services.awards.export import (
    CsvExport,
    ResultsExport,
    results_csv,
    results_export,
)
from challenges.services.awards.read import get_funding, get_idea_funding, get_results
from challenges.services.awards.rules import MAX_NOTE, SHOWN_STAGES, is_fundable
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
from challenges.services.awards.write import (
    AwardInput,
    OwnerInput,
    UpdateInput,
    award_budget,
    check_owner_picker,
    post_update,
    set_owner,
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
