#pragma once
// Component 10: the environment. Subscriptions (those that exist when the connectors are set up,
// and late ones that appear afterwards) and the analysts, who may close alerts in MDC, close
// incidents in Sentinel, close incidents in Defender XDR and, if allowed, reopen an MDC alert.
// Which of these the analysts do is a configuration switch, read by the Analysts machine's guards.
// Timing (any-order / subscription-before-tenant) is a guard of the tenant connector.
#include <cstdint>
#include <tuple>

#include "model/msm_front.hpp"

namespace alertflow::model::environment {

// ---- Subscription: one per subscription ----
enum class Subscription : std::uint8_t { NotCreated, Exists };

struct SubscriptionCreated {};
using SubscriptionEvents = std::tuple<SubscriptionCreated>;
enum class SubscriptionEvent : std::uint8_t { SubscriptionCreated };

struct SubscriptionMachine_ : FrontBase<SubscriptionMachine_> {
    struct NotCreated : msm::front::state<> { static constexpr Subscription value = Subscription::NotCreated; };
    struct Exists : msm::front::state<> { static constexpr Subscription value = Subscription::Exists; };
    using initial_state = NotCreated;

    // clang-format off
    struct transition_table : mpl::vector<
        //    Start       Event                Next    Action Guard
        Row < NotCreated, SubscriptionCreated, Exists, none,  none >
    > {};
    // clang-format on
};
using SubscriptionMachine = msm::back::state_machine<SubscriptionMachine_>;
using SubscriptionTable = TransitionTable<Subscription, SubscriptionEvent, 2, std::tuple_size_v<SubscriptionEvents>>;

// ---- Analysts: what they may do, one machine for the SOC ----
enum class Analysts : std::uint8_t { OnDuty };

struct ClosesAlertInMdc {};
struct ReopensAlertInMdc {};
struct ClosesIncidentInSentinel {};
struct ClosesIncidentInXdr {};
using AnalystEvents = std::tuple<ClosesAlertInMdc, ReopensAlertInMdc, ClosesIncidentInSentinel, ClosesIncidentInXdr>;
enum class AnalystEvent : std::uint8_t { ClosesAlertInMdc, ReopensAlertInMdc, ClosesIncidentInSentinel, ClosesIncidentInXdr };

struct AnalystsMachine_ : FrontBase<AnalystsMachine_> {
    bool close_in_mdc = true;
    bool reopen_in_mdc = false;
    bool close_in_sentinel = true;
    bool close_in_xdr = true;

    struct OnDuty : msm::front::state<> { static constexpr Analysts value = Analysts::OnDuty; };
    using initial_state = OnDuty;

    using MayCloseInMdc = SwitchesOn<&AnalystsMachine_::close_in_mdc>;
    using MayReopenInMdc = SwitchesOn<&AnalystsMachine_::reopen_in_mdc>;
    using MayCloseInSentinel = SwitchesOn<&AnalystsMachine_::close_in_sentinel>;
    using MayCloseInXdr = SwitchesOn<&AnalystsMachine_::close_in_xdr>;

    // clang-format off
    struct transition_table : mpl::vector<
        //    Start   Event                     Next    Action Guard
        Row < OnDuty, ClosesAlertInMdc,         OnDuty, none,  MayCloseInMdc      >,
        Row < OnDuty, ReopensAlertInMdc,        OnDuty, none,  MayReopenInMdc     >,
        Row < OnDuty, ClosesIncidentInSentinel, OnDuty, none,  MayCloseInSentinel >,
        Row < OnDuty, ClosesIncidentInXdr,      OnDuty, none,  MayCloseInXdr      >
    > {};
    // clang-format on
};
using AnalystsMachine = msm::back::state_machine<AnalystsMachine_>;
using AnalystsTable = TransitionTable<Analysts, AnalystEvent, 1, std::tuple_size_v<AnalystEvents>>;

struct AnalystAttributes {
    bool close_in_mdc = true;
    bool reopen_in_mdc = false;
    bool close_in_sentinel = true;
    bool close_in_xdr = true;
};
SubscriptionTable make_subscription_table();
AnalystsTable make_analysts_table(const AnalystAttributes& attributes);

}  // namespace alertflow::model::environment
