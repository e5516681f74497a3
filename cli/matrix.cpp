#include "cli/matrix.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cstring>
#include <exception>
#include <ostream>
#include <thread>

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "cli/suggest.hpp"
#include "cli/verdicts.hpp"
#include "traces/trace.hpp"

namespace alertflow::cli {

using checker::Verdict;

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
    std::vector<std::string_view> parts;
    for (;;) {
        const auto at = text.find(separator);
        parts.push_back(trim(text.substr(0, at)));
        if (at == std::string_view::npos) return parts;
        text.remove_prefix(at + 1);
    }
}

// Option values may be repeated, comma-separated, or both: "a,b" "c" -> a b c.
std::vector<std::string> split_ids(const std::vector<std::string>& values) {
    std::vector<std::string> ids;
    for (const std::string& value : values)
        for (std::string_view id : split(value, ','))
            if (!id.empty()) ids.emplace_back(id);
    return ids;
}

std::string suggestion(std::string_view word, const std::vector<std::string_view>& known) {
    const auto guess = closest(word, known);
    return guess ? fmt::format(" (did you mean '{}'?)", *guess) : "";
}

}  // namespace

// ================================================================ option strings

model::ScopeConfig parse_scope(const std::string& text, model::ScopeConfig base) {
    const std::vector<std::string_view> keys = {"alerts", "subscriptions", "late", "late_subscriptions"};
    const auto fail = [](const std::string& message) -> ConfigError { return ConfigError("--scope " + message); };
    if (trim(text).empty()) throw fail("'': expected KEY=NUMBER,... (e.g. alerts=2,subscriptions=2,late=1)");
    std::vector<std::string_view> seen;
    for (std::string_view item : split(text, ',')) {
        const auto eq = item.find('=');
        if (eq == std::string_view::npos)
            throw fail(fmt::format("{}: '{}': expected KEY=NUMBER (e.g. alerts=2,subscriptions=2,late=1)", text, item));
        std::string_view key = trim(item.substr(0, eq));
        const std::string_view value = trim(item.substr(eq + 1));
        if (std::find(keys.begin(), keys.end(), key) == keys.end())
            throw fail(fmt::format("{}: unknown key '{}'{}; valid keys: alerts, subscriptions, late", text, key,
                                   suggestion(key, keys)));
        if (key == "late_subscriptions") key = "late";
        if (std::find(seen.begin(), seen.end(), key) != seen.end())
            throw fail(fmt::format("{}: '{}' given twice", text, key));
        seen.push_back(key);
        int number = 0;
        const auto [stop, error] = std::from_chars(value.data(), value.data() + value.size(), number);
        if (value.empty() || error != std::errc() || stop != value.data() + value.size())
            throw fail(fmt::format("{}: {}={}: expected a whole number", text, key, value));
        (key == "alerts" ? base.alerts : key == "subscriptions" ? base.subscriptions : base.late_subscriptions) = number;
    }
    // The same bounds, in the same words, as the YAML loader's scope keys.
    const auto check = [&](std::string_view key, int value, int low, int high, std::string_view below, std::string_view above) {
        if (value < low || value > high)
            throw fail(fmt::format("{}: {}={} is out of range {}..{} ({})", text, key, value, low, high,
                                   value < low ? below : above));
    };
    check("subscriptions", base.subscriptions, 1, model::kMaxSubscriptions, "an alert needs a subscription to be raised in",
          fmt::format("the state is a fixed-size value: at most {} subscriptions", model::kMaxSubscriptions));
    check("late", base.late_subscriptions, 0, base.subscriptions - 1, "a count cannot be negative",
          "at least one subscription must exist when the connectors are set up");
    check("alerts", base.alerts, 1, model::kMaxAlerts, "with no alert there is nothing to check",
          fmt::format("the state is a fixed-size value: at most {} alerts", model::kMaxAlerts));
    return base;
}

namespace {

struct FaultSwitch {
    std::string_view name;
    bool model::FaultsConfig::*member;
};
constexpr FaultSwitch kFaults[] = {
    {"tenant_duplicates", &model::FaultsConfig::tenant_duplicates},
    {"xdr_incident_before_alert", &model::FaultsConfig::xdr_incident_before_alert},
    {"xdr_correlation", &model::FaultsConfig::xdr_correlation},
    {"start_time_skew", &model::FaultsConfig::start_time_skew},
};

std::string faults_phrase(const model::FaultsConfig& faults) {
    std::vector<std::string_view> on;
    for (const auto& f : kFaults)
        if (faults.*f.member) on.push_back(f.name);
    return on.empty() ? "none" : fmt::format("{}", fmt::join(on, ", "));
}

std::string scope_phrase(const model::ScopeConfig& s) {
    return fmt::format("{} alert{}, {} subscription{} ({} created late)", s.alerts, s.alerts == 1 ? "" : "s", s.subscriptions,
                       s.subscriptions == 1 ? "" : "s", s.late_subscriptions);
}

}  // namespace

model::FaultsConfig parse_faults(const std::string& text) {
    std::vector<std::string_view> known;
    for (const auto& f : kFaults) known.push_back(f.name);
    known.push_back("all");
    known.push_back("none");
    model::FaultsConfig faults;
    const std::string_view whole = trim(text);
    if (whole == "none") return faults;
    if (whole == "all") {
        for (const auto& f : kFaults) faults.*f.member = true;
        return faults;
    }
    if (whole.empty()) throw ConfigError("--faults '': expected fault names separated by commas, all, or none");
    for (std::string_view name : split(whole, ',')) {
        const auto it = std::find_if(std::begin(kFaults), std::end(kFaults), [&](const FaultSwitch& f) { return f.name == name; });
        if (it == std::end(kFaults))
            throw ConfigError(fmt::format("--faults {}: unknown fault '{}'{}; valid: {}", text, name, suggestion(name, known),
                                          fmt::join(known, ", ")));
        faults.*it->member = true;
    }
    return faults;
}

// ================================================================ the knobs

namespace {

bool always(const model::Config&) { return true; }
bool subscription_on(const model::Config& c) { return c.connectors.subscription.enabled; }

}  // namespace

const std::vector<Knob>& knobs() {
    using model::Config;
    static const std::vector<Knob> table = {
        {"subscription_connector", "connectors.subscription.enabled", {"false", "true"}, true,
         [](const Config& c) { return static_cast<int>(c.connectors.subscription.enabled); },
         [](Config& c, int v) { c.connectors.subscription.enabled = v != 0; }, always},
        {"subscription_sync", "connectors.subscription.bidirectional_sync", {"false", "true"}, false,
         [](const Config& c) { return static_cast<int>(c.connectors.subscription.bidirectional_sync); },
         [](Config& c, int v) { c.connectors.subscription.bidirectional_sync = v != 0; }, subscription_on},
        {"new_subscription_policy", "connectors.subscription.new_subscription_policy", {"false", "true"}, false,
         [](const Config& c) { return static_cast<int>(c.connectors.subscription.new_subscription_policy); },
         [](Config& c, int v) { c.connectors.subscription.new_subscription_policy = v != 0; }, subscription_on},
        {"tenant_connector", "connectors.tenant.enabled", {"false", "true"}, true,
         [](const Config& c) { return static_cast<int>(c.connectors.tenant.enabled); },
         [](Config& c, int v) { c.connectors.tenant.enabled = v != 0; }, always},
        {"xdr_mdc_alerts", "xdr.mdc_alerts", {"all", "none"}, false,
         [](const Config& c) { return c.xdr.mdc_alerts == model::XdrMdcAlerts::All ? 0 : 1; },
         [](Config& c, int v) { c.xdr.mdc_alerts = v == 0 ? model::XdrMdcAlerts::All : model::XdrMdcAlerts::None; }, always},
        {"xdr_connector", "connectors.xdr.enabled", {"false", "true"}, true,
         [](const Config& c) { return static_cast<int>(c.connectors.xdr.enabled); },
         [](Config& c, int v) { c.connectors.xdr.enabled = v != 0; }, always},
        {"incident_creation_rule", "rules.incident_creation", {"false", "true"}, true,
         [](const Config& c) { return static_cast<int>(c.rules.incident_creation); },
         [](Config& c, int v) { c.rules.incident_creation = v != 0; }, always},
        {"automation_close", "rules.automation_close", {"false", "true"}, true,
         [](const Config& c) { return static_cast<int>(c.rules.automation_close); },
         [](Config& c, int v) { c.rules.automation_close = v != 0; }, always},
    };
    return table;
}

int components_on(const model::Config& config) {
    int n = 0;
    for (const Knob& k : knobs())
        if (k.component && k.get(config) == 1) ++n;
    return n;
}

namespace {

// A configuration's YAML leaves, "connectors.tenant.enabled" -> value.
nlohmann::json flat(const model::Config& config) {
    nlohmann::json out = nlohmann::json::object();
    const nlohmann::json leaves = to_json(config).flatten();  // keys in alphabetical order
    for (const auto& [pointer, value] : leaves.items()) {
        std::string key = pointer.substr(1);
        std::replace(key.begin(), key.end(), '/', '.');
        out[key] = value;
    }
    return out;
}

std::string scalar_text(const nlohmann::json& value) { return value.is_string() ? value.get<std::string>() : value.dump(); }

bool is_knob_key(std::string_view key) {
    return std::any_of(knobs().begin(), knobs().end(), [&](const Knob& k) { return k.key == key; });
}

}  // namespace

std::string describe_knobs(const model::Config& config, const std::vector<std::string>& extra_keys) {
    std::vector<std::string> parts;
    for (const Knob& k : knobs()) {
        if (!k.applies(config)) continue;
        if (k.values[0] == "false") {
            if (k.get(config) == 1) parts.emplace_back(k.name);
        } else if (k.get(config) != 0) {
            parts.push_back(fmt::format("{}={}", k.name, k.values[1]));
        }
    }
    if (parts.empty()) parts.emplace_back("(nothing switched on)");
    const nlohmann::json leaves = extra_keys.empty() ? nlohmann::json::object() : flat(config);
    for (const std::string& key : extra_keys) {
        if (key.starts_with("connectors.subscription.") && !config.connectors.subscription.enabled) continue;
        if (leaves.contains(key)) parts.push_back(fmt::format("{}={}", key, scalar_text(leaves[key])));
    }
    return fmt::format("{}", fmt::join(parts, ", "));
}

// ================================================================ the sweep

namespace {

// A list in the sweep file: the text it spans (from just after its key's ':' to its end) and
// each value as it will be written in its place.
struct ListSite {
    std::string key;
    int line = 0;
    std::size_t begin = 0, end = 0;
    std::vector<std::string> values;
};

std::size_t skip_quoted(const std::string& text, std::size_t i) {
    const char quote = text[i++];
    while (i < text.size()) {
        if (quote == '"' && text[i] == '\\') {
            i += 2;
            continue;
        }
        if (text[i] == quote) {
            if (quote == '\'' && i + 1 < text.size() && text[i + 1] == '\'') {
                i += 2;
                continue;
            }
            return i + 1;
        }
        ++i;
    }
    return text.size();
}

// Just after the ':' that ends the key starting at `i`.
std::size_t after_colon(const std::string& text, std::size_t i) {
    if (i < text.size() && (text[i] == '"' || text[i] == '\'')) i = skip_quoted(text, i);
    while (i < text.size() && text[i] != ':') ++i;
    return std::min(i + 1, text.size());
}

// Just after the ']' matching the '[' at `i`, skipping quoted scalars and comments.
std::size_t flow_end(const std::string& text, std::size_t i) {
    int depth = 0;
    const auto token_start = [&](std::size_t at) { return at == 0 || std::strchr(" \t\r\n[{,:", text[at - 1]) != nullptr; };
    while (i < text.size()) {
        const char c = text[i];
        if ((c == '"' || c == '\'') && token_start(i)) {
            i = skip_quoted(text, i);
            continue;
        }
        if (c == '#' && token_start(i)) {
            while (i < text.size() && text[i] != '\n') ++i;
            continue;
        }
        if (c == '[' || c == '{') ++depth;
        if ((c == ']' || c == '}') && --depth == 0) return i + 1;
        ++i;
    }
    return text.size();
}

// The end of the line holding the block sequence's last entry (starting at `i`).
std::size_t block_end(const std::string& text, std::size_t i) {
    if (i < text.size() && (text[i] == '"' || text[i] == '\'')) i = skip_quoted(text, i);
    while (i < text.size() && text[i] != '\n') ++i;
    return i;
}

// One value written so that the loader reads back the same scalar, on one line.
std::string yaml_scalar(const std::string& value) {
    const bool plain = !value.empty() && value.find_first_of(",[]{}#:\"'\n\r\t&*!|>%@`") == std::string::npos &&
                       value.front() != ' ' && value.back() != ' ' && value.front() != '-' && value.front() != '?';
    if (plain) return value;
    YAML::Emitter e;
    e << YAML::DoubleQuoted << value;
    return e.c_str();
}

class SweepFile {
public:
    SweepFile(std::string path, std::string text) : path_(std::move(path)), text_(std::move(text)) {
        std::vector<YAML::Node> documents;
        try {
            documents = YAML::LoadAll(text_);
        } catch (const YAML::Exception& e) {
            parse_config(text_, path_);  // the loader's own message for the syntax error
            throw ConfigError(fmt::format("{}:{}: YAML error: {}", path_, e.mark.line + 1, e.msg));
        }
        if (documents.size() > 1) parse_config(text_, path_);  // "a second YAML document" from the loader
        if (!documents.empty()) document_ = documents.front();
        if (document_.IsMap()) collect(document_, "");
    }

    std::size_t combinations() const {
        std::size_t n = 1;
        for (const ListSite& s : sites_) n = n > kMaxSweep ? n : n * s.values.size();
        return n;
    }

    // Is the YAML key path given in the file (as one value or as a list)?
    bool mentions(std::string_view key) const {
        if (!document_.IsMap()) return false;
        std::vector<YAML::Node> path{document_};
        for (std::string_view part : split(key, '.')) {
            const YAML::Node& at = path.back();
            if (!at.IsMap()) return false;
            const YAML::Node next = at[std::string(part)];
            if (!next.IsDefined()) return false;
            path.push_back(next);
        }
        return true;
    }

    // Every single-valued configuration, the first list varying slowest.
    std::vector<model::Config> expand() const {
        std::vector<model::Config> configs;
        std::vector<std::size_t> choice(sites_.size(), 0);
        for (;;) {
            configs.push_back(parse_config(single_valued(choice), path_));
            std::size_t i = sites_.size();
            while (i > 0 && ++choice[i - 1] == sites_[i - 1].values.size()) choice[--i] = 0;
            if (i == 0) return configs;
        }
    }

private:
    [[noreturn]] void fail(const ListSite& site, std::string_view message) const {
        throw ConfigError(fmt::format("{}:{}: {}: {}", path_, site.line, site.key, message));
    }

    void collect(const YAML::Node& mapping, const std::string& prefix) {
        for (const auto& entry : mapping) {
            if (!entry.first.IsScalar()) continue;  // the loader reports it
            const std::string key = prefix + entry.first.Scalar();
            if (entry.second.IsMap()) collect(entry.second, key + ".");
            if (!entry.second.IsSequence()) continue;
            ListSite site{key, entry.first.Mark().line + 1, 0, 0, {}};
            if (entry.second.size() == 0) fail(site, "an empty list: nothing to try");
            for (const YAML::Node& value : entry.second) {
                if (!value.IsScalar())
                    fail(site, fmt::format("a sweep list holds plain values (e.g. [true, false]), got {} in it",
                                           value.IsMap() ? "a mapping" : value.IsSequence() ? "a list" : "nothing"));
                site.values.push_back(yaml_scalar(value.Scalar()));
            }
            const std::size_t start = static_cast<std::size_t>(entry.second.Mark().pos);
            site.begin = after_colon(text_, static_cast<std::size_t>(entry.first.Mark().pos));
            if (start < site.begin || start >= text_.size() || (text_[start] != '[' && text_[start] != '-'))
                fail(site, "write a sweep list out, as [a, b] or as one `- value` line each");
            site.end = text_[start] == '['
                           ? flow_end(text_, start)
                           : block_end(text_, static_cast<std::size_t>(entry.second[entry.second.size() - 1].Mark().pos));
            sites_.push_back(std::move(site));
        }
    }

    // The file with each list replaced by its chosen value, written after the list's key; the
    // lines the list spanned stay (empty), so every later line keeps its number.
    std::string single_valued(const std::vector<std::size_t>& choice) const {
        std::vector<std::size_t> order(sites_.size());
        for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
        std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return sites_[a].begin < sites_[b].begin; });
        std::string out;
        std::size_t at = 0;
        for (std::size_t i : order) {
            const ListSite& s = sites_[i];
            out.append(text_, at, s.begin - at);
            out += ' ';
            out += s.values[choice[i]];
            out.append(static_cast<std::size_t>(std::count(text_.begin() + static_cast<std::ptrdiff_t>(s.begin),
                                                           text_.begin() + static_cast<std::ptrdiff_t>(s.end), '\n')),
                       '\n');
            at = s.end;
        }
        out.append(text_, at);
        return out;
    }

    std::string path_, text_;
    YAML::Node document_;
    std::vector<ListSite> sites_;
};

// Equal configurations after the knobs that do not apply are set aside.
model::Config without_unused_knobs(model::Config config) {
    if (!config.connectors.subscription.enabled) {
        config.connectors.subscription = model::SubscriptionConnectorConfig{};
        config.connectors.subscription.enabled = false;
    }
    return config;
}

}  // namespace

Sweep expand_sweep(const std::optional<std::string>& sweep_path, const std::optional<std::string>& scope_text,
                   const std::optional<std::string>& faults_text) {
    std::optional<SweepFile> file;
    if (sweep_path) file.emplace(*sweep_path, read_file(*sweep_path));
    const std::optional<model::FaultsConfig> faults = faults_text ? std::optional(parse_faults(*faults_text)) : std::nullopt;

    // The knobs the file does not mention: each enumerated over both values.
    std::vector<const Knob*> open;
    for (const Knob& k : knobs())
        if (!file || !file->mentions(k.key)) open.push_back(&k);
    const std::size_t file_combinations = file ? file->combinations() : 1;
    const std::size_t combinations = open.size() >= 20 || file_combinations > kMaxSweep ? kMaxSweep + 1 : file_combinations << open.size();
    if (combinations > kMaxSweep)
        throw ConfigError(fmt::format("{}: the sweep has more than {} combinations; fix some knobs to one value",
                                      sweep_path.value_or("matrix"), kMaxSweep));

    Sweep sweep;
    std::vector<model::Config> seen;  // without unused knobs, parallel to sweep.configs
    const auto add = [&](model::Config config) {
        ++sweep.combinations;
        if (scope_text) {
            config.scope = parse_scope(*scope_text, config.scope);
            const auto& sub = config.connectors.subscription;
            const int existing = config.scope.subscriptions - config.scope.late_subscriptions;
            if (sub.uncovered_subscriptions > existing)
                throw ConfigError(fmt::format("--scope {}: leaves {} subscription(s) at set-up, fewer than "
                                              "connectors.subscription.uncovered_subscriptions ({})",
                                              *scope_text, existing, sub.uncovered_subscriptions));
        }
        if (faults) config.faults = *faults;
        if (std::find(sweep.configs.begin(), sweep.configs.end(), config) != sweep.configs.end()) {
            ++sweep.identical_skipped;
            return;
        }
        const model::Config reduced = without_unused_knobs(config);
        if (std::find(seen.begin(), seen.end(), reduced) != seen.end()) {
            ++sweep.unused_knobs_skipped;
            return;
        }
        seen.push_back(reduced);
        sweep.configs.push_back(config);
    };
    const std::vector<model::Config> bases = file ? file->expand() : std::vector<model::Config>{model::Config{}};
    for (const model::Config& base : bases) {
        for (std::size_t bits = 0; bits < (std::size_t{1} << open.size()); ++bits) {
            model::Config config = base;
            for (std::size_t k = 0; k < open.size(); ++k) open[k]->set(config, static_cast<int>((bits >> (open.size() - 1 - k)) & 1u));
            add(config);
        }
    }

    // The YAML keys, other than the knobs, whose value differs between configurations.
    if (!sweep.configs.empty()) {
        const nlohmann::json first = flat(sweep.configs.front());
        std::vector<nlohmann::json> leaves;
        for (const auto& c : sweep.configs) leaves.push_back(flat(c));
        for (const auto& [key, value] : first.items()) {
            if (is_knob_key(key)) continue;
            if (std::any_of(leaves.begin(), leaves.end(), [&](const nlohmann::json& l) { return l[key] != value; }))
                sweep.varying_keys.push_back(key);
        }
    }
    return sweep;
}

unsigned default_threads() { return std::max(1u, std::thread::hardware_concurrency()); }

std::vector<properties::Result> verify_each(const std::vector<model::Config>& configs,
                                            const std::vector<const properties::Property*>& chosen,
                                            const checker::Limits& limits, unsigned threads, bool keep_traces,
                                            checker::Reductions reductions) {
    std::vector<properties::Result> results(configs.size());
    std::vector<std::exception_ptr> failures(configs.size());
    std::atomic<std::size_t> next{0};
    const checker::Options options{limits, nullptr, reductions};
    const auto work = [&] {
        for (std::size_t i = next++; i < configs.size(); i = next++) {
            try {
                const model::System system(configs[i]);
                results[i] = properties::verify(system, chosen, options);
                if (!keep_traces)
                    for (auto& check : results[i].checks) check.trace.reset();
            } catch (...) {
                failures[i] = std::current_exception();
            }
        }
    };
    const std::size_t n = std::min<std::size_t>(threads == 0 ? default_threads() : threads, configs.size());
    std::vector<std::thread> pool;
    for (std::size_t t = 1; t < n; ++t) pool.emplace_back(work);
    work();
    for (auto& thread : pool) thread.join();
    for (const auto& failure : failures)
        if (failure) std::rethrow_exception(failure);
    return results;
}

// ================================================================ alertflow matrix

namespace {

struct Row {
    std::size_t index;  // 1-based, in enumeration order
    const model::Config* config;
    std::string description;
    int components;
    const properties::Result* result;
};

struct Table {
    const Sweep& sweep;
    std::vector<const properties::Property*> columns;
    std::vector<const properties::Property*> required;
    std::vector<properties::Result> results;
    std::vector<Row> rows;           // all, enumeration order
    std::vector<const Row*> shown;   // the rows printed: all, or those that qualify, simplest first
    std::vector<const Row*> undecided;
    unsigned threads = 0;
    double seconds = 0;
    std::uint64_t total_states = 0;

    bool requiring() const { return !required.empty(); }
};

std::string knob_note() {
    return "subscription_sync and new_subscription_policy change nothing while subscription_connector is off, "
           "so they are enumerated once then";
}

std::string required_list(const Table& t) {
    std::vector<std::string_view> ids;
    for (const auto* p : t.required) ids.push_back(p->id);
    return fmt::format("{}", fmt::join(ids, ", "));
}

std::string outcome_sentence(const Table& t) {
    if (!t.requiring()) return "";
    if (t.shown.empty())
        return fmt::format("No configuration satisfies all of: {} ({} checked).", required_list(t), t.sweep.configs.size());
    return fmt::format("{} of {} configurations satisfy all of: {}; simplest first (fewest components switched on, ties in "
                       "enumeration order).",
                       t.shown.size(), t.sweep.configs.size(), required_list(t));
}

std::string undecided_sentence(const Table& t) {
    if (t.undecided.empty()) return "";
    std::vector<std::string> ids;
    for (const Row* r : t.undecided) ids.push_back(fmt::format("#{}", r->index));
    return fmt::format("Undecided (a limit was hit before a verdict on a required property; each might qualify too): {}.",
                       fmt::join(ids, ", "));
}

// What the sweep held fixed and what it varied, one line each.
std::vector<std::string> header_lines(const Table& t) {
    const Sweep& s = t.sweep;
    std::vector<std::string> lines;
    const auto same = [&](auto get) {
        return std::all_of(s.configs.begin(), s.configs.end(), [&](const model::Config& c) { return get(c) == get(s.configs.front()); });
    };
    lines.push_back(fmt::format("scope: {}; faults: {}",
                                same([](const model::Config& c) { return c.scope; }) ? scope_phrase(s.configs.front().scope) : "varies by row",
                                same([](const model::Config& c) { return c.faults; }) ? faults_phrase(s.configs.front().faults) : "vary by row"));
    std::vector<std::string> swept, fixed;
    for (const Knob& k : knobs()) {
        bool seen[2] = {false, false};
        for (const auto& c : s.configs)
            if (k.applies(c)) seen[k.get(c)] = true;
        if (seen[0] && seen[1])
            swept.emplace_back(k.name);
        else if (seen[0] || seen[1])
            fixed.push_back(fmt::format("{}={}", k.name, k.values[seen[1] ? 1 : 0]));
    }
    lines.push_back(fmt::format("knobs: every combination of {}{}", swept.empty() ? "(none)" : fmt::format("{}", fmt::join(swept, ", ")),
                                fixed.empty() ? "" : fmt::format("; fixed: {}", fmt::join(fixed, ", "))));
    if (!s.varying_keys.empty()) lines.push_back(fmt::format("also varied by the sweep file: {}", fmt::join(s.varying_keys, ", ")));
    lines.push_back(fmt::format("{} ({} combination{} skipped){}", knob_note(), s.unused_knobs_skipped,
                                s.unused_knobs_skipped == 1 ? "" : "s",
                                s.identical_skipped ? fmt::format("; {} identical combination(s) skipped", s.identical_skipped) : ""));
    return lines;
}

void print_text(const Table& t, std::ostream& out) {
    fmt::print(out, "alertflow matrix: {} configurations checked against {} propert{}\n", t.sweep.configs.size(), t.columns.size(),
               t.columns.size() == 1 ? "y" : "ies");
    for (const std::string& line : header_lines(t)) fmt::print(out, "  {}\n", line);
    fmt::print(out, "  explored {} states in all, {} thread{}, {:.2f} s\n", t.total_states, t.threads, t.threads == 1 ? "" : "s",
               t.seconds);
    if (t.requiring()) fmt::print(out, "  required: {}\n", required_list(t));
    fmt::print(out, "  columns:\n");
    for (std::size_t j = 0; j < t.columns.size(); ++j) fmt::print(out, "    {:>2} {}\n", j + 1, t.columns[j]->id);
    fmt::print(out, "  cells: \u2713 holds, \u2717 violated, ? unknown (a limit was hit first); on: components switched on;\n"
                    "  configuration: the knobs switched on (xdr_mdc_alerts only when none), in knob order\n\n");
    if (t.requiring()) fmt::print(out, "{}\n", outcome_sentence(t));
    if (!t.undecided.empty()) fmt::print(out, "{}\n", undecided_sentence(t));
    if (t.shown.empty()) return;
    if (t.requiring()) fmt::print(out, "\n");
    const std::size_t index_width = std::max<std::size_t>(1, std::to_string(t.rows.size()).size());
    std::string header = fmt::format("  {:>{}}  on ", "#", index_width);
    for (std::size_t j = 0; j < t.columns.size(); ++j) header += fmt::format(" {}", j + 1);
    fmt::print(out, "{}  configuration\n", header);
    for (const Row* r : t.shown) {
        std::string line = fmt::format("  {:>{}}  {:>2} ", r->index, index_width, r->components);
        for (std::size_t j = 0; j < t.columns.size(); ++j)
            line += fmt::format(" {}{}", std::string(std::to_string(j + 1).size() - 1, ' '), verdict_mark(r->result->checks[j].verdict));
        fmt::print(out, "{}  {}\n", line, r->description);
    }
}

void print_markdown(const Table& t, std::ostream& out) {
    fmt::print(out, "**alertflow matrix**: {} configurations checked against {} properties.\n\n", t.sweep.configs.size(),
               t.columns.size());
    for (const std::string& line : header_lines(t)) fmt::print(out, "- {}\n", line);
    if (t.requiring()) fmt::print(out, "- required: {}\n", required_list(t));
    fmt::print(out, "- cells: \u2713 holds, \u2717 violated, ? unknown (a limit was hit first); on: components switched on; "
                    "configuration: the knobs switched on (xdr_mdc_alerts only when none), in knob order\n\n");
    if (t.requiring()) fmt::print(out, "{}\n\n", outcome_sentence(t));
    if (!t.undecided.empty()) fmt::print(out, "{}\n\n", undecided_sentence(t));
    if (t.shown.empty()) return;
    std::string header = "| # | configuration | on |", rule = "|---:|---|---:|";
    for (const auto* p : t.columns) {
        header += fmt::format(" {} |", p->id);
        rule += ":---:|";
    }
    fmt::print(out, "{}\n{}\n", header, rule);
    for (const Row* r : t.shown) {
        std::string line = fmt::format("| {} | {} | {} |", r->index, r->description, r->components);
        for (const auto& c : r->result->checks) line += fmt::format(" {} |", verdict_mark(c.verdict));
        fmt::print(out, "{}\n", line);
    }
}

std::string csv_field(const std::string& s) {
    if (s.find_first_of(",\"\n") == std::string::npos) return s;
    std::string quoted = "\"";
    for (char c : s) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    return quoted + '"';
}

void print_csv(const Table& t, std::ostream& out) {
    std::vector<std::string> header{"index", "configuration", "components_on"};
    for (const Knob& k : knobs()) header.emplace_back(k.name);
    for (const std::string& key : t.sweep.varying_keys) header.push_back(key);
    header.emplace_back("states");
    for (const auto* p : t.columns) header.emplace_back(p->id);
    fmt::print(out, "{}\n", fmt::join(header, ","));
    for (const Row* r : t.shown) {
        std::vector<std::string> cells{std::to_string(r->index), csv_field(r->description), std::to_string(r->components)};
        for (const Knob& k : knobs()) cells.emplace_back(k.applies(*r->config) ? k.values[static_cast<std::size_t>(k.get(*r->config))] : "");
        const nlohmann::json leaves = flat(*r->config);
        for (const std::string& key : t.sweep.varying_keys) cells.push_back(csv_field(scalar_text(leaves[key])));
        cells.push_back(std::to_string(r->result->stats.states));
        for (const auto& c : r->result->checks) cells.emplace_back(verdict_name(c.verdict));
        fmt::print(out, "{}\n", fmt::join(cells, ","));
    }
}

nlohmann::json knob_json(const Knob& k, const model::Config& c) {
    if (!k.applies(c)) return nullptr;
    const int v = k.get(c);
    if (k.values[0] == "false") return v == 1;
    return k.values[static_cast<std::size_t>(v)];
}

void print_json(const Table& t, std::ostream& out) {
    const Sweep& s = t.sweep;
    nlohmann::json doc;
    doc["configurations_checked"] = s.configs.size();
    doc["combinations"] = s.combinations;
    doc["combinations_skipped"] = {{"unused_knobs", s.unused_knobs_skipped}, {"identical", s.identical_skipped}};
    doc["note"] = knob_note();
    nlohmann::json knob_list = nlohmann::json::array();
    for (const Knob& k : knobs()) knob_list.push_back({{"name", k.name}, {"key", k.key}, {"values", k.values}, {"component", k.component}});
    doc["knobs"] = knob_list;
    doc["varying_keys"] = s.varying_keys;
    nlohmann::json ids = nlohmann::json::array();
    for (const auto* p : t.columns) ids.push_back(p->id);
    doc["properties"] = ids;
    doc["threads"] = t.threads;
    doc["seconds"] = t.seconds;
    doc["total_states"] = t.total_states;
    if (t.requiring()) {
        nlohmann::json req = nlohmann::json::array();
        for (const auto* p : t.required) req.push_back(p->id);
        doc["require"] = req;
        doc["qualifying"] = t.shown.size();
        nlohmann::json undecided = nlohmann::json::array();
        for (const Row* r : t.undecided) undecided.push_back(r->index);
        doc["undecided"] = undecided;
        doc["summary"] = outcome_sentence(t);
    }
    nlohmann::json rows = nlohmann::json::array();
    for (const Row* r : t.shown) {
        nlohmann::json knob_values = nlohmann::json::object();
        for (const Knob& k : knobs()) knob_values[std::string(k.name)] = knob_json(k, *r->config);
        nlohmann::json verdicts = nlohmann::json::object(), notes = nlohmann::json::object();
        for (const auto& c : r->result->checks) {
            verdicts[c.id] = verdict_name(c.verdict);
            if (c.verdict == Verdict::Unknown) notes[c.id] = c.note;
        }
        const auto& st = r->result->stats;
        nlohmann::json row{{"index", r->index},
                           {"configuration", r->description},
                           {"components_on", r->components},
                           {"knobs", knob_values},
                           {"verdicts", verdicts},
                           {"stats", {{"states", st.states}, {"transitions", st.transitions}, {"depth", st.depth},
                                      {"seconds", st.seconds}, {"complete", st.complete}, {"stop_reason", st.stop_reason}}},
                           {"config", to_json(*r->config)}};
        if (!notes.empty()) row["notes"] = notes;
        rows.push_back(row);
    }
    doc["rows"] = rows;
    out << doc.dump(2) << '\n';
}

}  // namespace

int run_matrix(const MatrixRequest& request, std::ostream& out, std::ostream& err) {
    std::optional<Sweep> sweep;
    std::vector<const properties::Property*> columns, required;
    try {
        required = resolve_properties(split_ids(request.require_ids), "--require");
        columns = choose_properties(split_ids(request.property_ids));
        if (!request.property_ids.empty())
            for (const auto* p : required)
                if (std::find(columns.begin(), columns.end(), p) == columns.end()) columns.push_back(p);
        sweep = expand_sweep(request.sweep_path, request.scope, request.faults);
    } catch (const ConfigError& e) {
        fmt::print(err, "alertflow: {}\n", e.what());
        return kBadInput;
    }

    Table t{*sweep, columns, required, {}, {}, {}, {}, 0, 0, 0};
    t.threads = static_cast<unsigned>(std::min<std::size_t>(request.threads == 0 ? default_threads() : request.threads,
                                                            std::max<std::size_t>(1, sweep->configs.size())));
    const auto start = std::chrono::steady_clock::now();
    t.results = verify_each(sweep->configs, columns, request.limits, t.threads, false, request.reductions);
    t.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    for (std::size_t i = 0; i < sweep->configs.size(); ++i) {
        const model::Config& c = sweep->configs[i];
        t.rows.push_back({i + 1, &c, describe_knobs(c, sweep->varying_keys), components_on(c), &t.results[i]});
        t.total_states += t.results[i].stats.states;
    }
    std::size_t unknown_rows = 0;
    for (const Row& r : t.rows) {
        bool violated = false, unknown = false;
        for (std::size_t j = 0; j < columns.size(); ++j) {
            const bool needed = std::find(required.begin(), required.end(), columns[j]) != required.end();
            const Verdict v = r.result->checks[j].verdict;
            if (!t.requiring() || needed) {
                violated |= v == Verdict::Violated;
                unknown |= v == Verdict::Unknown;
            }
        }
        if (!t.requiring()) {
            t.shown.push_back(&r);
            unknown_rows += unknown;
        } else if (!violated && !unknown) {
            t.shown.push_back(&r);
        } else if (!violated) {
            t.undecided.push_back(&r);
        }
    }
    if (t.requiring())
        std::stable_sort(t.shown.begin(), t.shown.end(), [](const Row* a, const Row* b) { return a->components < b->components; });

    switch (request.format) {
    case MatrixFormat::Text: print_text(t, out); break;
    case MatrixFormat::Markdown: print_markdown(t, out); break;
    case MatrixFormat::Csv: print_csv(t, out); break;
    case MatrixFormat::Json: print_json(t, out); break;
    }
    if (request.format == MatrixFormat::Csv && t.requiring()) {
        // A CSV has no room for prose: the outcome goes to stderr.
        if (t.shown.empty()) fmt::print(err, "alertflow: {}\n", outcome_sentence(t));
        if (!t.undecided.empty()) fmt::print(err, "alertflow: {}\n", undecided_sentence(t));
    }
    if (!t.requiring()) {
        if (unknown_rows == 0) return kAllHold;
        fmt::print(err, "alertflow: {} configuration(s) with an unknown verdict: a limit was hit before the exploration ended\n",
                   unknown_rows);
        return kIncomplete;
    }
    if (!t.undecided.empty()) return kIncomplete;
    return t.shown.empty() ? kViolated : kAllHold;
}

// ================================================================ alertflow diff

namespace {

enum class Change { Unchanged, Broken, Repaired, Undecided, Other };

Change classify(Verdict before, Verdict after) {
    if (before == after && before != Verdict::Unknown) return Change::Unchanged;
    if (before == Verdict::Holds && after == Verdict::Violated) return Change::Broken;
    if (before == Verdict::Violated && after == Verdict::Holds) return Change::Repaired;
    // An unknown side that might be a break: holds->unknown, unknown->violated, unknown->unknown.
    if (before != Verdict::Violated && after != Verdict::Holds) return Change::Undecided;
    return Change::Other;  // violated->unknown, unknown->holds: cannot be a break
}

std::string_view change_name(Change c) {
    switch (c) {
    case Change::Unchanged: return "unchanged";
    case Change::Broken: return "broken";
    case Change::Repaired: return "repaired";
    case Change::Undecided: return "undecided";
    case Change::Other: return "changed";
    }
    return "?";
}

std::string short_stats(const checker::Stats& s) {
    return fmt::format("{} states, {} transitions, depth {}, {:.2f} s{}", s.states, s.transitions, s.depth, s.seconds,
                       s.complete ? "" : fmt::format(" -- stopped early: {}", s.stop_reason));
}

}  // namespace

int run_diff(const DiffRequest& request, std::ostream& out, std::ostream& err) {
    std::vector<model::Config> configs;
    std::vector<const properties::Property*> chosen;
    try {
        configs.push_back(load_config(request.before));
        configs.push_back(load_config(request.after));
        chosen = choose_properties(split_ids(request.property_ids));
    } catch (const ConfigError& e) {
        fmt::print(err, "alertflow: {}\n", e.what());
        return kBadInput;
    }
    const std::vector<properties::Result> results = verify_each(configs, chosen, request.limits, 2, true, request.reductions);
    const properties::Result& before = results[0];
    const properties::Result& after = results[1];

    // The configuration keys that differ.
    const nlohmann::json lb = flat(configs[0]), la = flat(configs[1]);
    std::vector<std::array<std::string, 3>> key_changes;
    for (const auto& [key, value] : lb.items()) {
        if (value != la[key]) key_changes.push_back({key, scalar_text(lb[key]), scalar_text(la[key])});
    }

    std::vector<Change> changes;
    bool broken = false, undecided = false;
    for (std::size_t i = 0; i < chosen.size(); ++i) {
        changes.push_back(classify(before.checks[i].verdict, after.checks[i].verdict));
        broken |= changes.back() == Change::Broken;
        undecided |= changes.back() == Change::Undecided;
    }

    if (request.format == Format::Json) {
        nlohmann::json props = nlohmann::json::array(), config_changes = nlohmann::json::array();
        for (const auto& [key, b, a] : key_changes) config_changes.push_back({{"key", key}, {"before", lb[key]}, {"after", la[key]}});
        for (std::size_t i = 0; i < chosen.size(); ++i) {
            nlohmann::json p{{"id", chosen[i]->id},
                             {"before", verdict_name(before.checks[i].verdict)},
                             {"after", verdict_name(after.checks[i].verdict)},
                             {"change", change_name(changes[i])}};
            if (changes[i] == Change::Broken) p["trace"] = traces::trace_json(configs[1], *after.checks[i].trace);
            props.push_back(p);
        }
        const auto side = [&](const std::string& path, const properties::Result& r, const model::Config& c) {
            return nlohmann::json{{"path", path},
                                  {"config", to_json(c)},
                                  {"stats", {{"states", r.stats.states}, {"transitions", r.stats.transitions}, {"complete", r.stats.complete}}}};
        };
        const nlohmann::json doc{{"before", side(request.before, before, configs[0])},
                                 {"after", side(request.after, after, configs[1])},
                                 {"config_changes", config_changes},
                                 {"properties", props}};
        out << doc.dump(2) << '\n';
    } else {
        fmt::print(out, "alertflow diff {} {}\n", request.before, request.after);
        fmt::print(out, "explored before: {}\nexplored after:  {}\n\n", short_stats(before.stats), short_stats(after.stats));
        if (key_changes.empty()) fmt::print(out, "configuration: the two files describe the same set-up\n");
        else fmt::print(out, "configuration changes:\n");
        for (const auto& [key, b, a] : key_changes) fmt::print(out, "  {}: {} -> {}\n", key, b, a);
        const std::size_t unchanged = static_cast<std::size_t>(std::count(changes.begin(), changes.end(), Change::Unchanged));
        if (unchanged == chosen.size())
            fmt::print(out, "\nno property's verdict changes ({} checked)\n", chosen.size());
        else
            fmt::print(out, "\nverdicts that change ({} of {} properties unchanged):\n", unchanged, chosen.size());
        for (std::size_t i = 0; i < chosen.size(); ++i) {
            if (changes[i] == Change::Unchanged) continue;
            fmt::print(out, "  {:<28} {:<8} -> {:<8}  {}{}\n", chosen[i]->id, verdict_name(before.checks[i].verdict),
                       verdict_name(after.checks[i].verdict), change_name(changes[i]),
                       changes[i] == Change::Undecided ? " (a limit was hit: this could be a break)" : "");
        }
        for (std::size_t i = 0; i < chosen.size(); ++i) {
            if (changes[i] != Change::Broken) continue;
            const auto& trace = *after.checks[i].trace;
            fmt::print(out, "\n{}: broken (holds before, violated after). Shortest counterexample under {}, {} step(s):\n",
                       chosen[i]->id, request.after, trace.actions.size());
            for (const std::string& line : traces::counterexample_lines(configs[1], *chosen[i], trace)) fmt::print(out, "  {}\n", line);
        }
    }
    if (broken) return kViolated;
    if (undecided) {
        fmt::print(err, "alertflow: exploration incomplete: an unknown verdict could hide a property the change breaks\n");
        return kIncomplete;
    }
    return kAllHold;
}

}  // namespace alertflow::cli
