#pragma once
// Component 1: the Microsoft Defender for Cloud alert, one per alert.
//
// An alert is raised once, in a subscription that exists then. An analyst resolves or dismisses
// it in MDC; a sync (bi-directional sync of the subscription-based connector, or the Defender XDR
// incident sync) closes it as Resolved. An alert already closed is left as it is by a sync.
// Reopening is off unless the configuration allows it (analysts.reopen_in_mdc).
#include <cstdint>
#include <tuple>

#include "model/msm_front.hpp"

namespace alertflow::model::mdc_alert {

enum class Status : std::uint8_t { NotRaised, Active, Resolved, Dismissed };
inline constexpr std::size_t kStatusCount = 4;

// Events, as facts.
struct Raised {};
struct ResolvedByAnalyst {};
struct DismissedByAnalyst {};
struct ClosedBySync {};
struct ReopenedByAnalyst {};
using Events = std::tuple<Raised, ResolvedByAnalyst, DismissedByAnalyst, ClosedBySync, ReopenedByAnalyst>;
enum class Event : std::uint8_t { Raised, ResolvedByAnalyst, DismissedByAnalyst, ClosedBySync, ReopenedByAnalyst };

struct Machine_ : FrontBase<Machine_> {
    bool reopen_allowed = false;  // analysts.reopen_in_mdc

    struct NotRaised : msm::front::state<> { static constexpr Status value = Status::NotRaised; };
    struct Active : msm::front::state<> { static constexpr Status value = Status::Active; };
    struct Resolved : msm::front::state<> { static constexpr Status value = Status::Resolved; };
    struct Dismissed : msm::front::state<> { static constexpr Status value = Status::Dismissed; };
    using initial_state = NotRaised;

    using IsReopenAllowed = SwitchesOn<&Machine_::reopen_allowed>;

    // clang-format off
    struct transition_table : mpl::vector<
        //    Start      Event               Next       Action Guard
        Row < NotRaised, Raised,             Active,    none,  none            >,
        Row < Active,    ResolvedByAnalyst,  Resolved,  none,  none            >,
        Row < Active,    DismissedByAnalyst, Dismissed, none,  none            >,
        Row < Active,    ClosedBySync,       Resolved,  none,  none            >,
        Row < Resolved,  ReopenedByAnalyst,  Active,    none,  IsReopenAllowed >,
        Row < Dismissed, ReopenedByAnalyst,  Active,    none,  IsReopenAllowed >
    > {};
    // clang-format on
};
using Machine = msm::back::state_machine<Machine_>;
using Table = TransitionTable<Status, Event, kStatusCount, std::tuple_size_v<Events>>;

struct Attributes {
    bool reopen_allowed = false;
};
Table make_table(const Attributes& attributes);

inline bool is_closed(Status s) { return s == Status::Resolved || s == Status::Dismissed; }

}  // namespace alertflow::model::mdc_alert
