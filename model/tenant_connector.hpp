#pragma once
// Component 3: the tenant-based MDC connector (preview), one per tenant, covering every
// subscription. It takes MDC alerts FROM Defender XDR, so it has something to deliver only for
// alerts XDR ingested ("All alerts"). Per alert it owes a delivery after XDR ingests the alert
// and after every later status change; a delivery writes the status CURRENT at delivery (it may
// skip statuses in between), link security.microsoft.com. No sync back. With the duplicate fault
// it may deliver an alert once more (again the current status). Under the timing assumption
// subscription-before-tenant it delivers only after the subscription path has settled.
#include <cstdint>
#include <tuple>

#include "model/msm_front.hpp"

namespace alertflow::model::tenant_connector {

enum class Delivery : std::uint8_t { Silent, Owes, UpToDate, OwesDuplicateSpent, UpToDateDuplicateSpent };

struct Triggered {};           // XDR ingested the alert, or its MDC status changed since
struct Delivered {};           // delivered after the subscription path settled
struct DeliveredAhead {};      // delivered while the subscription path still had work for the alert
struct DeliveredAgain {};      // the duplicate-delivery fault
using Events = std::tuple<Triggered, Delivered, DeliveredAhead, DeliveredAgain>;
enum class Event : std::uint8_t { Triggered, Delivered, DeliveredAhead, DeliveredAgain };

struct Machine_ : FrontBase<Machine_> {
    bool enabled = false;
    bool any_order = true;         // timing: any-order
    bool duplicates_fault = false; // faults.tenant_duplicates

    struct Silent : msm::front::state<> { static constexpr Delivery value = Delivery::Silent; };
    struct Owes : msm::front::state<> { static constexpr Delivery value = Delivery::Owes; };
    struct UpToDate : msm::front::state<> { static constexpr Delivery value = Delivery::UpToDate; };
    struct OwesDuplicateSpent : msm::front::state<> { static constexpr Delivery value = Delivery::OwesDuplicateSpent; };
    struct UpToDateDuplicateSpent : msm::front::state<> { static constexpr Delivery value = Delivery::UpToDateDuplicateSpent; };
    using initial_state = Silent;

    using IsEnabled = SwitchesOn<&Machine_::enabled>;
    using IsAnyOrder = SwitchesOn<&Machine_::any_order>;
    using IsDuplicateFaultOn = SwitchesOn<&Machine_::duplicates_fault>;

    // clang-format off
    struct transition_table : mpl::vector<
        //    Start                   Event           Next                    Action Guard
        Row < Silent,                 Triggered,      Owes,                   none,  IsEnabled          >,
        Row < Owes,                   Triggered,      Owes,                   none,  none               >,
        Row < Owes,                   Delivered,      UpToDate,               none,  none               >,
        Row < Owes,                   DeliveredAhead, UpToDate,               none,  IsAnyOrder         >,
        Row < UpToDate,               Triggered,      Owes,                   none,  none               >,
        Row < UpToDate,               DeliveredAgain, UpToDateDuplicateSpent, none,  IsDuplicateFaultOn >,
        Row < UpToDateDuplicateSpent, Triggered,      OwesDuplicateSpent,     none,  none               >,
        Row < OwesDuplicateSpent,     Triggered,      OwesDuplicateSpent,     none,  none               >,
        Row < OwesDuplicateSpent,     Delivered,      UpToDateDuplicateSpent, none,  none               >,
        Row < OwesDuplicateSpent,     DeliveredAhead, UpToDateDuplicateSpent, none,  IsAnyOrder         >
    > {};
    // clang-format on
};
using Machine = msm::back::state_machine<Machine_>;
using Table = TransitionTable<Delivery, Event, 5, std::tuple_size_v<Events>>;

struct Attributes {
    bool enabled = false;
    bool any_order = true;
    bool duplicates_fault = false;
};
Table make_table(const Attributes& attributes);

}  // namespace alertflow::model::tenant_connector
