#include "model/action.hpp"

namespace alertflow::model {

std::string_view actor(ActionKind k) {
    switch (k) {
    case ActionKind::CreateSubscription: return "environment";
    case ActionKind::RaiseAlert: return "Defender for Cloud";
    case ActionKind::ResolveInMdc:
    case ActionKind::DismissInMdc:
    case ActionKind::ReopenInMdc:
    case ActionKind::CloseInSentinel:
    case ActionKind::CloseInXdr: return "analyst";
    case ActionKind::ForwardBySubscriptionConnector: return "subscription connector";
    case ActionKind::DeliverByTenantConnector:
    case ActionKind::DeliverAgainByTenantConnector: return "tenant connector";
    case ActionKind::IngestInXdr:
    case ActionKind::CorrelateInXdr: return "Defender XDR";
    case ActionKind::BringXdrIncident: return "XDR connector";
    case ActionKind::CreateIncidentByRule: return "incident creation rule";
    case ActionKind::CreateIncidentByTimeWindowRule: return "time-window rule";
    case ActionKind::CloseByAutomation: return "automation rule";
    }
    return "?";
}

}  // namespace alertflow::model
