#include "model/subscription_connector.hpp"

namespace alertflow::model::subscription_connector {

CoverageTable make_coverage_table(const Attributes& a) {
    return derive_table<CoverageTable, CoverageMachine, CoverageEvents>([&](CoverageMachine& m) {
        m.enabled = a.enabled;
        m.new_subscription_policy = a.new_subscription_policy;
        m.bidirectional_sync = a.bidirectional_sync;
    });
}

ForwardingTable make_forwarding_table() {
    return derive_table<ForwardingTable, ForwardingMachine, ForwardingEvents>([](ForwardingMachine&) {});
}

}  // namespace alertflow::model::subscription_connector
