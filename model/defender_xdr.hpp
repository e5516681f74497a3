#pragma once
// Component 4: Microsoft Defender XDR and its "Microsoft Defender for Cloud alerts" setting.
//
// With "All alerts (default)" XDR ingests each MDC alert into an XDR incident, which it keeps in
// step with the MDC alert both ways (closing one closes the other). With "No alerts" it ingests
// nothing, and so the tenant-based connector, which reads from XDR, has nothing to deliver.
// With the correlation fault XDR may merge incidents that are already in Sentinel.
#include <cstdint>
#include <tuple>

#include "model/msm_front.hpp"

namespace alertflow::model::defender_xdr {

enum class Ingestion : std::uint8_t { NotIngested, Ingested };

struct AlertIngested {};
struct IncidentsCorrelated {};  // the alert's incident is merged into a new one
using Events = std::tuple<AlertIngested, IncidentsCorrelated>;
enum class Event : std::uint8_t { AlertIngested, IncidentsCorrelated };

struct Machine_ : FrontBase<Machine_> {
    bool all_alerts = true;           // xdr.mdc_alerts: all
    bool correlation_fault = false;   // faults.xdr_correlation

    struct NotIngested : msm::front::state<> { static constexpr Ingestion value = Ingestion::NotIngested; };
    struct Ingested : msm::front::state<> { static constexpr Ingestion value = Ingestion::Ingested; };
    using initial_state = NotIngested;

    using IsAllAlerts = SwitchesOn<&Machine_::all_alerts>;
    using IsCorrelationOn = SwitchesOn<&Machine_::correlation_fault>;

    // clang-format off
    struct transition_table : mpl::vector<
        //    Start        Event                Next      Action Guard
        Row < NotIngested, AlertIngested,       Ingested, none,  IsAllAlerts     >,
        Row < Ingested,    IncidentsCorrelated, Ingested, none,  IsCorrelationOn >
    > {};
    // clang-format on
};
using Machine = msm::back::state_machine<Machine_>;
using Table = TransitionTable<Ingestion, Event, 2, std::tuple_size_v<Events>>;

struct Attributes {
    bool all_alerts = true;
    bool correlation_fault = false;
};
Table make_table(const Attributes& attributes);

}  // namespace alertflow::model::defender_xdr
