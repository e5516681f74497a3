#include "cli/compare.hpp"

#include <algorithm>
#include <ostream>

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <fmt/ranges.h>

#include "cli/matrix.hpp"
#include "cli/suggest.hpp"
#include "model/security_alert_table.hpp"

namespace alertflow::cli {

namespace {

using checker::Verdict;
using model::Config;
using model::security_alert_table::Writer;

constexpr std::array<std::string_view, 2> kNames = {"subscription", "tenant"};

// The report's table was drawn with the XDR connector off: each connector with the incident
// creation rule, XDR on "All alerts", one alert in one subscription.
Config base(MdcConnector connector) {
    Config c;  // the defaults: the subscription connector with sync, the rule, XDR "All alerts"
    c.connectors.subscription.enabled = connector == MdcConnector::Subscription;
    c.connectors.tenant.enabled = connector == MdcConnector::Tenant;
    c.connectors.xdr.enabled = false;
    c.rules.incident_creation = true;
    return c;
}

Config with_late_subscription(Config c) {
    c.scope.subscriptions = 2;
    c.scope.late_subscriptions = 1;
    return c;
}

std::string describe(const Config& c) {
    std::vector<std::string> extra;
    if (c.scope.subscriptions != Config{}.scope.subscriptions) extra.emplace_back("scope.subscriptions");
    if (c.scope.late_subscriptions != Config{}.scope.late_subscriptions) extra.emplace_back("scope.late_subscriptions");
    return describe_knobs(c, extra);
}

std::string yes_no(Verdict v) { return v == Verdict::Holds ? "yes" : v == Verdict::Violated ? "no" : "unknown"; }

// The configurations explored, each checked against the whole catalog at once.
struct Scenarios {
    std::vector<Config> configs;
    std::vector<properties::Result> results;

    std::size_t add(const Config& c) {
        configs.push_back(c);
        return configs.size() - 1;
    }
    Evidence evidence(std::size_t scenario, std::string_view property) const {
        const auto& checks = results[scenario].checks;
        const auto it = std::find_if(checks.begin(), checks.end(), [&](const auto& c) { return c.id == property; });
        return {std::string(property), it->verdict, std::string(verdict_name(it->verdict)), describe(configs[scenario])};
    }
};

// Which links the rows of SecurityAlert can carry: an invariant "no row carries link L" per
// writer, violated exactly when such a row is reachable (with the shortest run to it).
std::vector<Evidence> links(const Config& config) {
    std::vector<checker::Check<model::State>> checks;
    for (Writer w : {Writer::SubscriptionConnector, Writer::TenantConnector}) {
        const std::string_view link = model::security_alert_table::link(w);
        checks.push_back({fmt::format("no row with link {}", link), checker::PropertyKind::Invariant, [link](const model::State& s) {
                              for (const auto& alert : s.alerts)
                                  for (int r = 0; r < alert.row_count; ++r)
                                      if (model::security_alert_table::link(alert.row(r).writer) == link) return false;
                              return true;
                          }});
    }
    const model::System system(config);
    const auto result = checker::explore(system, checks);
    std::vector<Evidence> found;
    for (std::size_t i = 0; i < checks.size(); ++i) {
        const auto& c = result.checks[i];
        const std::string_view link = model::security_alert_table::link(i == 0 ? Writer::SubscriptionConnector : Writer::TenantConnector);
        std::string finding;
        if (c.verdict == Verdict::Violated)
            finding = fmt::format("a row with link {} is reachable ({} steps)", link, c.trace->actions.size());
        else if (c.verdict == Verdict::Holds)
            finding = fmt::format("no row with link {} in any of the {} reachable states", link, result.stats.states);
        else
            finding = fmt::format("unknown: {}", c.note);
        found.push_back({"SecurityAlert row links (security_alert_table::link)", c.verdict, finding, describe(config)});
    }
    return found;
}

std::string links_answer(const std::vector<Evidence>& evidence) {
    std::vector<std::string_view> seen;
    for (std::size_t i = 0; i < evidence.size(); ++i) {
        if (evidence[i].verdict == Verdict::Unknown) return "unknown";
        if (evidence[i].verdict == Verdict::Violated)
            seen.push_back(model::security_alert_table::link(i == 0 ? Writer::SubscriptionConnector : Writer::TenantConnector));
    }
    return seen.empty() ? "no rows at all" : fmt::format("{}", fmt::join(seen, " and "));
}

}  // namespace

std::vector<CompareRow> compare_connectors(unsigned threads) {
    const Config sub = base(MdcConnector::Subscription), ten = base(MdcConnector::Tenant);
    Scenarios s;
    const auto with = [](Config c, auto change) {
        change(c);
        return c;
    };
    const std::size_t S = s.add(sub);
    const std::size_t S_late = s.add(with_late_subscription(sub));
    const std::size_t S_late_policy = s.add(with(with_late_subscription(sub), [](Config& c) { c.connectors.subscription.new_subscription_policy = true; }));
    const std::size_t S_no_sync = s.add(with(sub, [](Config& c) { c.connectors.subscription.bidirectional_sync = false; }));
    const std::size_t S_no_alerts = s.add(with(sub, [](Config& c) { c.xdr.mdc_alerts = model::XdrMdcAlerts::None; }));
    const std::size_t S_no_rule = s.add(with(sub, [](Config& c) { c.rules.incident_creation = false; }));
    const std::size_t T = s.add(ten);
    const std::size_t T_late = s.add(with_late_subscription(ten));
    const std::size_t T_no_alerts = s.add(with(ten, [](Config& c) { c.xdr.mdc_alerts = model::XdrMdcAlerts::None; }));
    const std::size_t T_no_rule = s.add(with(ten, [](Config& c) { c.rules.incident_creation = false; }));
    const std::size_t both = s.add(with(sub, [](Config& c) { c.connectors.tenant.enabled = true; }));
    s.results = verify_each(s.configs, properties::whole_catalog(), {}, threads, false);

    std::vector<CompareRow> rows;
    const auto v = [&](std::size_t scenario, std::string_view property) { return s.evidence(scenario, property).verdict; };
    const auto cell = [&](std::string answer, std::vector<Evidence> evidence) { return CompareCell{std::move(answer), std::move(evidence)}; };

    {
        CompareRow r{"scope of collection",
                     "does an alert from every subscription, one created after set-up included, reach SecurityAlert? "
                     "(all-subscriptions-covered, 2 subscriptions of which 1 late)",
                     {}};
        r.cells[0] = cell(fmt::format("{} without new_subscription_policy, {} with it", yes_no(v(S_late, "all-subscriptions-covered")),
                                      yes_no(v(S_late_policy, "all-subscriptions-covered"))),
                          {s.evidence(S_late, "all-subscriptions-covered"), s.evidence(S_late_policy, "all-subscriptions-covered")});
        const Verdict t = v(T_late, "all-subscriptions-covered");
        r.cells[1] = cell(yes_no(t) + (t == Verdict::Holds ? ": every subscription, nothing to enable per subscription" : ""),
                          {s.evidence(T_late, "all-subscriptions-covered")});
        rows.push_back(std::move(r));
    }
    {
        CompareRow r{"bi-directional sync",
                     "does closing the Sentinel incident close the MDC alert? (sentinel-close-reaches-mdc)", {}};
        r.cells[0] = cell(fmt::format("{} with subscription_sync on, {} with it off", yes_no(v(S, "sentinel-close-reaches-mdc")),
                                      yes_no(v(S_no_sync, "sentinel-close-reaches-mdc"))),
                          {s.evidence(S, "sentinel-close-reaches-mdc"), s.evidence(S_no_sync, "sentinel-close-reaches-mdc")});
        r.cells[1] = cell(yes_no(v(T, "sentinel-close-reaches-mdc")), {s.evidence(T, "sentinel-close-reaches-mdc")});
        rows.push_back(std::move(r));
    }
    {
        CompareRow r{"dependence on the XDR setting",
                     "does it need XDR's MDC alerts on \"All alerts\"? (no-lost-alert and all-subscriptions-covered with "
                     "xdr_mdc_alerts=none)",
                     {}};
        const auto depends = [&](std::size_t scenario) {
            const Verdict a = v(scenario, "no-lost-alert"), b = v(scenario, "all-subscriptions-covered");
            std::string answer = a == Verdict::Violated || b == Verdict::Violated ? "yes: with \"No alerts\" its alerts are lost"
                                 : a == Verdict::Holds && b == Verdict::Holds   ? "no: alerts arrive with \"No alerts\" too"
                                                                                : "unknown";
            return cell(answer, {s.evidence(scenario, "no-lost-alert"), s.evidence(scenario, "all-subscriptions-covered")});
        };
        r.cells[0] = depends(S_no_alerts);
        r.cells[1] = depends(T_no_alerts);
        rows.push_back(std::move(r));
    }
    {
        CompareRow r{"link in the rows",
                     "which link do its SecurityAlert rows carry? (security_alert_table::link of every row in every reachable state)",
                     {}};
        const std::vector<Evidence> sub_links = links(sub), ten_links = links(ten);
        r.cells[0] = cell(links_answer(sub_links), sub_links);
        r.cells[1] = cell(links_answer(ten_links), ten_links);
        rows.push_back(std::move(r));
    }
    {
        CompareRow r{"needs the incident creation rule",
                     "without the rule, is an alert left without an incident? (no-lost-alert, rule off and on)", {}};
        const auto needs = [&](std::size_t without, std::size_t with_rule) {
            const Verdict off = v(without, "no-lost-alert"), on = v(with_rule, "no-lost-alert");
            std::string answer = off == Verdict::Holds                                  ? "no"
                                 : off == Verdict::Violated && on == Verdict::Holds     ? "yes: no incident without it"
                                 : off == Verdict::Violated && on == Verdict::Violated ? "yes, and alerts are lost even with it"
                                                                                        : "unknown";
            return cell(answer, {s.evidence(without, "no-lost-alert"), s.evidence(with_rule, "no-lost-alert")});
        };
        r.cells[0] = needs(S_no_rule, S);
        r.cells[1] = needs(T_no_rule, T);
        rows.push_back(std::move(r));
    }
    {
        CompareRow r{"duplicates when both are on",
                     "with both connectors on, is each alert status written twice? (no-duplicate-rows; exactly-one-incident)", {}};
        const Verdict rows_v = v(both, "no-duplicate-rows"), one = v(both, "exactly-one-incident");
        std::string answer = rows_v == Verdict::Violated ? "yes: two rows per alert status" : rows_v == Verdict::Holds ? "no" : "unknown";
        if (rows_v == Verdict::Violated && one == Verdict::Holds) answer += ", still exactly one incident";
        const CompareCell c = cell(answer, {s.evidence(both, "no-duplicate-rows"), s.evidence(both, "exactly-one-incident")});
        r.cells = {c, c};
        rows.push_back(std::move(r));
    }
    return rows;
}

int run_compare(const std::vector<std::string>& connectors, std::ostream& out, std::ostream& err) {
    const auto bad = [&](const std::string& message) {
        fmt::print(err, "alertflow: compare: {}; usage: alertflow compare subscription tenant (in either order)\n", message);
        return kBadInput;
    };
    if (connectors.size() != 2)
        return bad(fmt::format("expected the two MDC connectors, subscription and tenant, got {} name{}{}", connectors.size(),
                               connectors.size() == 1 ? "" : "s",
                               connectors.empty() ? "" : fmt::format(" ({})", fmt::join(connectors, " "))));
    std::vector<MdcConnector> order;
    for (const std::string& name : connectors) {
        const auto it = std::find(kNames.begin(), kNames.end(), name);
        if (it == kNames.end()) {
            if (name == "xdr")
                return bad("'xdr' is the Defender XDR connector, not an MDC connector: only subscription and tenant compare");
            const auto guess = closest(name, {kNames.begin(), kNames.end()});
            return bad(fmt::format("unknown connector '{}'{}", name, guess ? fmt::format(" (did you mean '{}'?)", *guess) : ""));
        }
        const auto c = static_cast<MdcConnector>(it - kNames.begin());
        if (std::find(order.begin(), order.end(), c) != order.end()) return bad(fmt::format("'{}' given twice", name));
        order.push_back(c);
    }

    const std::vector<CompareRow> rows = compare_connectors();
    fmt::print(out, "alertflow compare {} {}\n", connectors[0], connectors[1]);
    fmt::print(out,
               "The two Defender for Cloud connectors side by side, from the model's verdicts. Every configuration: 1 alert in 1 "
               "subscription unless it says otherwise, the XDR connector off (as in the report's table), no faults.\n"
               "Under each cell: the property (or rows read) that decides it, its verdict, and the configuration checked.\n");
    bool unknown = false;
    for (const CompareRow& r : rows) {
        fmt::print(out, "\n{} -- {}\n", r.aspect, r.question);
        for (MdcConnector c : order) {
            const CompareCell& cell = r.cells[static_cast<std::size_t>(c)];
            fmt::print(out, "  {:<13} {}\n", kNames[static_cast<std::size_t>(c)], cell.answer);
            for (const Evidence& e : cell.evidence) {
                if (properties::find(e.backing))
                    fmt::print(out, "      {} {}: {}  at {}\n", verdict_mark(e.verdict), e.backing, e.finding, e.configuration);
                else  // rows read off the explored states: "violated" only means "such a row is reachable"
                    fmt::print(out, "      - {}: {}  at {}\n", e.backing, e.finding, e.configuration);
                unknown |= e.verdict == Verdict::Unknown;
            }
        }
    }
    fmt::print(out, "\n| aspect | {} | {} |\n|---|---|---|\n", kNames[static_cast<std::size_t>(order[0])],
               kNames[static_cast<std::size_t>(order[1])]);
    for (const CompareRow& r : rows)
        fmt::print(out, "| {} | {} | {} |\n", r.aspect, r.cells[static_cast<std::size_t>(order[0])].answer,
                   r.cells[static_cast<std::size_t>(order[1])].answer);
    if (unknown) {
        fmt::print(err, "alertflow: some verdict behind the comparison is unknown\n");
        return kIncomplete;
    }
    return kAllHold;
}

}  // namespace alertflow::cli
