#include "cmd/triage_setup.h"

#include <filesystem>
#include <memory>

#include "core/error.h"
#include "core/files.h"
#include "core/triage/engine.h"
#include "core/triage/import_classifier.h"
#include "core/triage/priority.h"

namespace kefu::cli {

std::optional<triage::RulesFile> user_rules(Context& ctx, const std::string& rules_path) {
    std::string path = rules_path.empty() ? ctx.config_dir() + "/rules.toml" : rules_path;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
        if (!rules_path.empty()) {
            throw Error("cannot read rules", path, "no such file");
        }
        return std::nullopt;
    }
    return triage::RulesFile{path, files::read_file(path, "rules")};
}

std::shared_ptr<const triage::Engine> load_engine(Context& ctx, const std::string& rules_path) {
    return std::make_shared<const triage::Engine>(triage::Engine::load(ctx.config(), user_rules(ctx, rules_path)));
}


Classifier make_classifier(Context& ctx, const std::string& rules_path) {
    return triage::import_classifier(load_engine(ctx, rules_path));
}

nlohmann::ordered_json terms_json(const std::vector<triage::Term>& terms) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const auto& t : terms) {
        out.push_back({{"name", t.name},
                       {"raw", t.raw},
                       {"coefficient", t.coefficient},
                       {"contribution", t.contribution},
                       {"detail", t.detail}});
    }
    return out;
}

nlohmann::ordered_json fired_json(const std::vector<triage::Fired>& fired) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const auto& f : fired) {
        out.push_back({{"rule", f.rule_id}, {"matched", f.matched}});
    }
    return out;
}

PriorityModel priority_model(Context& ctx) {
    // Only the age term and the levels are needed to list the queue; they come from config
    // alone, without loading the rules (which costs tens of milliseconds).
    const Config& config = ctx.config();
    double age_coefficient = 0;
    for (const auto& [name, value] : triage::default_coefficients()) {
        if (name == "age") {
            age_coefficient = value;
        }
    }
    if (auto it = config.priority.find("age"); it != config.priority.end()) {
        age_coefficient = it->second;
    }
    triage::Levels levels;
    if (auto it = config.levels.find("urgent"); it != config.levels.end()) {
        levels.urgent = it->second;
    }
    if (auto it = config.levels.find("high"); it != config.levels.end()) {
        levels.high = it->second;
    }
    if (auto it = config.levels.find("normal"); it != config.levels.end()) {
        levels.normal = it->second;
    }
    Config::Sla sla = config.sla;
    PriorityModel m;
    m.max_age = age_coefficient > 0 ? age_coefficient * triage::k_age_raw_max : 0;
    m.level = [levels](double total) { return std::string(triage::level_name(total, levels)); };
    m.age = [age_coefficient, levels, sla](const Inquiry& r, TimePoint now) {
        // The age term counts only while the buyer waits for a first answer.
        if (r.first_response_at || (r.status != Status::New && r.status != Status::Open)) {
            return 0.0;
        }
        std::string level(triage::level_name(r.priority_static, levels));
        int64_t limit = sla.first_response;
        if (auto it = sla.first_response_by_level.find(level); it != sla.first_response_by_level.end()) {
            limit = it->second;
        }
        return age_coefficient * triage::age_raw(now - r.received_at, limit);
    };
    return m;
}

}  // namespace kefu::cli
