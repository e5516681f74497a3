#pragma once
// Component 2: the subscription-based MDC connector (legacy).
//
// It is switched on per subscription (Coverage, one per subscription): the subscriptions that
// exist when it is set up, and later ones only if a new-subscription policy enables them at
// creation. For each alert of a covered subscription it forwards the creation and every status
// change as a NEW SecurityAlert row, in order (Forwarding, one per alert: how many rows it still
// owes). With bi-directional sync on, closing a Sentinel incident that holds the alert closes the
// MDC alert; Coverage accepts IncidentClosedInSentinel exactly when that sync fires.
#include <cstdint>
#include <tuple>

#include "model/msm_front.hpp"

namespace alertflow::model::subscription_connector {

// ---- Coverage: one per subscription ----
enum class Coverage : std::uint8_t { NotCovered, Covered };

struct ConnectorSetUp {};         // the connector is switched on for the subscriptions that exist
struct SubscriptionCreated {};    // a subscription appears after set-up
struct IncidentClosedInSentinel {};
using CoverageEvents = std::tuple<ConnectorSetUp, SubscriptionCreated, IncidentClosedInSentinel>;
enum class CoverageEvent : std::uint8_t { ConnectorSetUp, SubscriptionCreated, IncidentClosedInSentinel };

struct CoverageMachine_ : FrontBase<CoverageMachine_> {
    bool enabled = false;
    bool new_subscription_policy = false;
    bool bidirectional_sync = false;

    struct NotCovered : msm::front::state<> { static constexpr Coverage value = Coverage::NotCovered; };
    struct Covered : msm::front::state<> { static constexpr Coverage value = Coverage::Covered; };
    using initial_state = NotCovered;

    using IsEnabled = SwitchesOn<&CoverageMachine_::enabled>;
    using IsNewSubscriptionPolicyOn = SwitchesOn<&CoverageMachine_::enabled, &CoverageMachine_::new_subscription_policy>;
    using IsSyncEnabled = SwitchesOn<&CoverageMachine_::bidirectional_sync>;

    // clang-format off
    struct transition_table : mpl::vector<
        //    Start       Event                     Next        Action Guard
        Row < NotCovered, ConnectorSetUp,           Covered,    none,  IsEnabled                 >,
        Row < NotCovered, SubscriptionCreated,      Covered,    none,  IsNewSubscriptionPolicyOn >,
        Row < Covered,    IncidentClosedInSentinel, Covered,    none,  IsSyncEnabled             >
    > {};
    // clang-format on
};
using CoverageMachine = msm::back::state_machine<CoverageMachine_>;
using CoverageTable = TransitionTable<Coverage, CoverageEvent, 2, std::tuple_size_v<CoverageEvents>>;

// ---- Forwarding: one per alert, how many rows the connector still owes ----
enum class Forwarding : std::uint8_t { UpToDate, Owes1, Owes2, Owes3, Owes4 };
inline constexpr int owed_rows(Forwarding f) { return static_cast<int>(f); }

struct StatusChanged {};  // the alert was raised or changed status in MDC
struct RowForwarded {};   // the oldest owed change was written as a row
using ForwardingEvents = std::tuple<StatusChanged, RowForwarded>;
enum class ForwardingEvent : std::uint8_t { StatusChanged, RowForwarded };

struct ForwardingMachine_ : FrontBase<ForwardingMachine_> {
    struct UpToDate : msm::front::state<> { static constexpr Forwarding value = Forwarding::UpToDate; };
    struct Owes1 : msm::front::state<> { static constexpr Forwarding value = Forwarding::Owes1; };
    struct Owes2 : msm::front::state<> { static constexpr Forwarding value = Forwarding::Owes2; };
    struct Owes3 : msm::front::state<> { static constexpr Forwarding value = Forwarding::Owes3; };
    struct Owes4 : msm::front::state<> { static constexpr Forwarding value = Forwarding::Owes4; };
    using initial_state = UpToDate;

    // clang-format off
    struct transition_table : mpl::vector<
        //    Start     Event          Next      Action Guard
        Row < UpToDate, StatusChanged, Owes1,    none,  none >,
        Row < Owes1,    StatusChanged, Owes2,    none,  none >,
        Row < Owes2,    StatusChanged, Owes3,    none,  none >,
        Row < Owes3,    StatusChanged, Owes4,    none,  none >,
        Row < Owes1,    RowForwarded,  UpToDate, none,  none >,
        Row < Owes2,    RowForwarded,  Owes1,    none,  none >,
        Row < Owes3,    RowForwarded,  Owes2,    none,  none >,
        Row < Owes4,    RowForwarded,  Owes3,    none,  none >
    > {};
    // clang-format on
};
using ForwardingMachine = msm::back::state_machine<ForwardingMachine_>;
using ForwardingTable = TransitionTable<Forwarding, ForwardingEvent, 5, std::tuple_size_v<ForwardingEvents>>;

struct Attributes {
    bool enabled = false;
    bool new_subscription_policy = false;
    bool bidirectional_sync = false;
};
CoverageTable make_coverage_table(const Attributes& attributes);
ForwardingTable make_forwarding_table();

}  // namespace alertflow::model::subscription_connector
