#pragma once
// The labelled actions of the product system. The System offers them in a fixed order, so
// exploration is deterministic: environment actions, then analyst actions (per alert, then per
// incident), then services, then faults; within each group by alert or incident index.
#include <cstdint>
#include <string_view>

namespace alertflow::model {

enum class ActionKind : std::uint8_t {
    // environment (optional: a run may stop before they happen)
    CreateSubscription,  // target: subscription
    RaiseAlert,          // alert, target: subscription, variant 1: StartTime in the future
    // analysts (optional)
    ResolveInMdc,        // alert
    DismissInMdc,        // alert
    ReopenInMdc,         // alert
    CloseInSentinel,     // target: incident
    CloseInXdr,          // alert
    // connectors, rules and services (fair: what stays possible eventually happens)
    ForwardBySubscriptionConnector,  // alert, variant 1: written with a non-UTC StartTime
    DeliverByTenantConnector,        // alert
    IngestInXdr,                     // alert
    BringXdrIncident,                // alert
    CreateIncidentByRule,            // alert
    CreateIncidentByTimeWindowRule,  // alert
    CloseByAutomation,               // target: incident
    // faults (optional)
    DeliverAgainByTenantConnector,   // alert
    CorrelateInXdr,                  // target, variant: the two incidents merged
};
inline constexpr int kActionKinds = static_cast<int>(ActionKind::CorrelateInXdr) + 1;

struct Action {
    ActionKind kind{};
    std::uint8_t alert = 0;
    std::uint8_t target = 0;
    std::uint8_t variant = 0;
    friend bool operator==(const Action&, const Action&) = default;
};

// Fair actions are the services' own work: under fairness a run does not end while one is enabled.
constexpr bool is_fair(ActionKind k) {
    return k >= ActionKind::ForwardBySubscriptionConnector && k <= ActionKind::CloseByAutomation;
}

// Which component acts: the lifeline a trace names.
std::string_view actor(ActionKind k);

}  // namespace alertflow::model
