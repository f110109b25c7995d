#include "downloads/decision_json.hpp"

namespace discotheque::downloads {

namespace {

nlohmann::json file_json(const candidate& c) {
  nlohmann::json j{{"username", c.file.username},
                   {"filename", c.file.filename},
                   {"size", c.file.size},
                   {"extension", c.file.extension}};
  if (c.file.bitrate_kbps > 0)
    j["bitrate_kbps"] = c.file.bitrate_kbps;
  if (c.file.length_s > 0)
    j["length_s"] = c.file.length_s;
  if (c.rejected.empty()) {
    const auto& s = c.score;
    j["score"] = s.total();
    j["breakdown"] = {{"format", s.format}, {"name", s.name},
                      {"slot", s.slot},     {"queue", s.queue},
                      {"speed", s.speed},   {"shared", s.shared}};
  } else {
    j["rejected"] = c.rejected;
  }
  return j;
}

} // namespace

nlohmann::json to_json(const decision& d, size_t keep) {
  nlohmann::json accepted = nlohmann::json::array();
  nlohmann::json rejected = nlohmann::json::array();
  nlohmann::json reasons = nlohmann::json::object();
  for (const auto& c : d.candidates) {
    if (c.rejected.empty()) {
      if (accepted.size() < keep)
        accepted.push_back(file_json(c));
    } else {
      auto n = reasons.value(c.rejected, 0);
      reasons[c.rejected] = n + 1;
      if (rejected.size() < keep)
        rejected.push_back(file_json(c));
    }
  }
  nlohmann::json j{{"track_id", d.track_id},
                   {"query", d.query},
                   {"mode", d.mode},
                   {"offered", d.candidates.size()},
                   {"candidates", accepted},
                   {"rejected", rejected},
                   {"rejected_by_reason", reasons},
                   {"margin", d.margin}};
  j["chosen"] = d.choice() ? file_json(*d.choice()) : nlohmann::json(nullptr);
  j["runner_up"] = d.runner_up >= 0
                     ? file_json(d.candidates[static_cast<size_t>(d.runner_up)])
                     : nlohmann::json(nullptr);
  return j;
}

} // namespace discotheque::downloads
