#pragma once
// The product system: every component composed, shaped for an explorer (initial states, labelled
// successors in a fixed order, fairness, a progress measure). Asynchrony is explicit: whatever a
// connector or rule still has to do is state, and doing it is an action, so every interleaving
// the services allow is a path. The model knows nothing of how it is explored.
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <optional>
#include <vector>

#include "model/action.hpp"
#include "model/config.hpp"
#include "model/state.hpp"
#include "model/state_codec.hpp"

namespace alertflow::model {

// Each component's transitions, read off its MSM machine for this configuration.
struct ComponentTables {
    mdc_alert::Table mdc_alert;
    subscription_connector::CoverageTable coverage;
    subscription_connector::ForwardingTable forwarding;
    tenant_connector::Table tenant;
    defender_xdr::Table xdr;
    xdr_connector::Table xdr_connector;
    incident_creation_rule::Table rule;
    incident_creation_rule::Table time_window_rule;
    security_alert_table::Table table;
    sentinel_incident::Table incident;
    automation_rule::Table automation;
    environment::SubscriptionTable subscription;
    environment::AnalystsTable analysts;

    static ComponentTables for_config(const Config& config);
};

// Enabled actions of one state, without touching the heap. The storage is raw bytes, so that
// making a list (once per expanded state) does not fill 2 KiB of actions it will never read.
class ActionList {
public:
    static constexpr int kCapacity = 512;
    void push(Action a);
    void clear() { size_ = 0; }
    int size() const { return size_; }
    const Action& operator[](int i) const { return begin()[i]; }
    const Action* begin() const { return std::launder(reinterpret_cast<const Action*>(storage_)); }
    const Action* end() const { return begin() + size_; }

private:
    alignas(Action) std::byte storage_[kCapacity * sizeof(Action)];
    int size_ = 0;
};

class System {
public:
    using State = model::State;
    using Action = model::Action;

    explicit System(const Config& config);

    std::vector<State> initial_states() const;
    void enabled_actions(const State& s, ActionList& out) const;
    State apply(const State& s, const Action& a) const;

    template <class F>
    void for_each_successor(const State& s, F&& f) const {
        ActionList actions;
        enabled_actions(s, actions);
        for (const Action& a : actions) f(a, apply(s, a));
    }
    // Partial-order reduction: the successors by an ample set of actions, all the enabled actions
    // of one alert whose part of the state no other alert's action reads or writes (its slot and
    // the incidents holding only it), at least one of them fair; every successor when no alert
    // qualifies. Such actions commute with everything the other alerts and the environment can
    // do, and none of those can enable or disable them. Sound for checks that are conjunctions
    // over alerts and incidents of facts about one alert's part (every property in the catalog):
    // a violation reached without the alert's actions is still there after them, and a run
    // cannot end (no fair action left) before the alert's fair action. The graph is acyclic, so
    // no cycle proviso is needed.
    template <class F>
    void for_each_ample_successor(const State& s, F&& f) const {
        ActionList actions;
        enabled_actions(s, actions);
        const int alert = ample_alert(s, actions);
        for (const Action& a : actions)
            if (alert < 0 || owner(s, a) == alert) f(a, apply(s, a));
    }
    // The alert whose part of the state an action touches, or -1 (the environment, a merge, or
    // an incident of several alerts).
    int owner(const State& s, const Action& a) const;

    bool is_fair(const Action& a) const { return model::is_fair(a.kind); }
    std::uint64_t progress(const State& s) const;

    // The representative of the states that behave alike and that no check in the catalog can
    // tell apart: alerts are interchangeable, so its raised alerts are sorted (by their slot,
    // then by the incidents that hold them) and the incidents' alert sets renamed to match; and
    // each alert's SecurityAlert rows are rewritten to a canonical list with the same facts
    // (a right StartTime, newest status, rows per status, and the writers the rules record when
    // the sync scope reads them: see system.cpp); incidents forget the writer they were made
    // from when the sync scope does not read it; an alert in one of two existing subscriptions
    // of equal coverage is put in the first. Checks that read more (which writers wrote any row,
    // say) must explore without it.
    State representative(const State& s) const;

    // The cone of influence of checks that read only `reads` (facts above). When no check reads
    // the SecurityAlert rows and no component left reads them either (no incident creation or
    // time-window rule, and an XDR connector that does not wait for the row: off, or under the
    // fault that lets its incident arrive first), the model without the writers of the rows:
    // the sub connector's forwarding and the tenant connector (deliveries and duplicates) stay
    // idle, and alerts are raised with a right StartTime only (a wrong one is read by the row
    // writers alone). What stays reads nothing of what is left out, so reachable values and run
    // ends agree on everything else; the writers' work is fair, always possible and writes rows
    // only, so it completes any run without changing what the checks read. nullopt otherwise.
    std::optional<System> sliced(std::uint32_t reads) const;

    // The cutoff: the same system with one alert, when alerts never meet. Without XDR correlation
    // no incident holds two alerts, and an alert's actions read and write only its own slot, its
    // own incidents and the environment (subscriptions, coverage, the automation rules), which no
    // alert changes. Every property in the catalog is a conjunction over alerts and incidents of
    // facts about one alert's part, so a violation by alert j, projected onto j (renamed the
    // first alert) and the environment, is a run of the one-alert system that violates it too,
    // no longer and, for a complete run, still complete; and a run of the one-alert system is a
    // run of this one (the others never raised, and raising is not fair). nullopt with
    // correlation, with one alert already, or for checks that may relate alerts to one another
    // (`reads` has facts::across_alerts).
    std::optional<System> cutoff(std::uint32_t reads) const;

    // The compact form the checker stores (see state_codec.hpp).
    static constexpr unsigned kEveryAlert = (1u << kMaxAlerts) - 1;
    std::size_t packed_size() const { return codec_.bytes(); }
    void pack(const State& s, std::byte* out) const { codec_.pack(s, out); }
    State unpack(const std::byte* in) const { return codec_.unpack(in); }
    void pack_successor(const State& parent, const std::byte* parent_packed, const State& s, std::byte* out) const {
        codec_.pack_successor(parent, parent_packed, s, kEveryAlert, out);
    }
    // The same for s = apply(parent, a): only the alerts a may touch are looked at.
    void pack_successor(const State& parent, const std::byte* parent_packed, const Action& a, const State& s, std::byte* out) const {
        codec_.pack_successor(parent, parent_packed, s, touched_alerts(parent, a), out);
    }
    // The alerts whose slots `a` may change in s (bit per alert; a superset): those its closes
    // sync for a close of an incident, the XDR incident's for a close in XDR, none for a new
    // subscription or a merge (which change incidents only), else the action's own.
    // Every kind is listed (no default), so that a new one cannot be given too few alerts unseen.
    unsigned touched_alerts(const State& s, const Action& a) const {
        switch (a.kind) {
        case ActionKind::CreateSubscription:
        case ActionKind::CorrelateInXdr: return 0;
        case ActionKind::CloseInSentinel:
        case ActionKind::CloseByAutomation: return s.incidents[a.target].alerts;
        case ActionKind::CloseInXdr: return xdr_incident_alerts(s, a.alert);
        case ActionKind::RaiseAlert:
        case ActionKind::ResolveInMdc:
        case ActionKind::DismissInMdc:
        case ActionKind::ReopenInMdc:
        case ActionKind::ForwardBySubscriptionConnector:
        case ActionKind::DeliverByTenantConnector:
        case ActionKind::IngestInXdr:
        case ActionKind::BringXdrIncident:
        case ActionKind::CreateIncidentByRule:
        case ActionKind::CreateIncidentByTimeWindowRule:
        case ActionKind::DeliverAgainByTenantConnector: return 1u << a.alert;
        }
        return kEveryAlert;  // not an ActionKind
    }

    const Config& config() const { return config_; }
    const ComponentTables& tables() const { return tables_; }

private:
    void add_environment_actions(const State& s, ActionList& out) const;
    void add_analyst_actions(const State& s, ActionList& out) const;
    void add_service_actions(const State& s, ActionList& out) const;
    void add_fault_actions(const State& s, ActionList& out) const;

    int ample_alert(const State& s, const ActionList& actions) const;
    bool stands_alone(const State& s, int alert) const;
    bool may_correlate() const;

    bool subscription_path_settled(const State& s, int alert) const;
    std::uint8_t xdr_incident_alerts(const State& s, int alert) const;
    xdr_connector::Event bring_event(const State& s, int alert) const;
    bool time_window_row(const AlertSlot& slot, int* first) const;

    void change_mdc_status(State& s, int alert, mdc_alert::Event e) const;
    void trigger_tenant_connector(AlertSlot& slot) const;
    void close_in_sentinel(State& s, int incident, sentinel_incident::Event e) const;
    bool sub_sync_applies(const State& s, const Incident& incident, int alert) const;
    void xdr_sync(State& s) const;
    void append_row(State& s, int alert, SecurityAlertRow row) const;
    void add_incident(State& s, Incident incident) const;

    Config config_;
    ComponentTables tables_;
    StateCodec codec_;
    bool rows_written_ = true;  // false in the slice without the row writers (see sliced)
};

}  // namespace alertflow::model
