#pragma once
// Component 5: the Defender XDR connector in Sentinel, one per alert's XDR incident.
//
// It creates the Sentinel incident itself (provider "Microsoft Defender XDR"), in the XDR
// incident's current state, whichever MDC connector is on; it never brings the alert ROW, which
// only an MDC connector writes. When some connector will write a row, the incident waits for it,
// unless the fault xdr_incident_before_alert lets it arrive first (B14). When no connector will,
// the incident comes empty (B10). Closing on either side closes the other (two-way sync).
#include <cstdint>
#include <tuple>

#include "model/msm_front.hpp"

namespace alertflow::model::xdr_connector {

enum class Sync : std::uint8_t { NotInSentinel, InSentinel };

struct BroughtAfterRow {};         // the alert's row is already in SecurityAlert
struct BroughtWithNoRowComing {};  // no MDC connector will ever write the row
struct BroughtBeforeRow {};        // a row is coming but has not arrived yet
using Events = std::tuple<BroughtAfterRow, BroughtWithNoRowComing, BroughtBeforeRow>;
enum class Event : std::uint8_t { BroughtAfterRow, BroughtWithNoRowComing, BroughtBeforeRow };

struct Machine_ : FrontBase<Machine_> {
    bool enabled = false;
    bool incident_before_alert_fault = false;

    struct NotInSentinel : msm::front::state<> { static constexpr Sync value = Sync::NotInSentinel; };
    struct InSentinel : msm::front::state<> { static constexpr Sync value = Sync::InSentinel; };
    using initial_state = NotInSentinel;

    using IsEnabled = SwitchesOn<&Machine_::enabled>;
    using IsIncidentBeforeAlertFaultOn = SwitchesOn<&Machine_::enabled, &Machine_::incident_before_alert_fault>;

    // clang-format off
    struct transition_table : mpl::vector<
        //    Start          Event                   Next        Action Guard
        Row < NotInSentinel, BroughtAfterRow,        InSentinel, none,  IsEnabled                    >,
        Row < NotInSentinel, BroughtWithNoRowComing, InSentinel, none,  IsEnabled                    >,
        Row < NotInSentinel, BroughtBeforeRow,       InSentinel, none,  IsIncidentBeforeAlertFaultOn >
    > {};
    // clang-format on
};
using Machine = msm::back::state_machine<Machine_>;
using Table = TransitionTable<Sync, Event, 2, std::tuple_size_v<Events>>;

struct Attributes {
    bool enabled = false;
    bool incident_before_alert_fault = false;
};
Table make_table(const Attributes& attributes);

}  // namespace alertflow::model::xdr_connector
