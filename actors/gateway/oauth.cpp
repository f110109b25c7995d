#include "actors/gateway/oauth.hpp"

#include "actors/gateway/token_refresher.hpp"
#include "actors/sources/providers.hpp"

#include <openssl/sha.h>

namespace discotheque {

namespace {

std::string base64url(const unsigned char* data, size_t n) {
  auto s = base64(std::string_view{reinterpret_cast<const char*>(data), n});
  for (auto& c : s)
    c = c == '+' ? '-' : c == '/' ? '_' : c;
  while (!s.empty() && s.back() == '=')
    s.pop_back();
  return s;
}

} // namespace

std::string pkce_challenge(const std::string& verifier) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(verifier.data()),
         verifier.size(), digest);
  return base64url(digest, sizeof digest);
}

std::optional<oauth_flow> flow_for(const std::string& provider,
                                   const provider_config& pc) {
  const auto* d = find_provider(provider);
  if (!d || !d->refreshable() || !d->oauth)
    return std::nullopt;
  auto auth_base = trim_slash(pc.auth_base.empty() ? d->defaults.auth_base
                                                   : pc.auth_base);
  const auto& o = *d->oauth;
  oauth_flow f;
  f.provider = provider;
  f.token_url = auth_base + d->defaults.token_path;
  f.display = o.display;
  f.authorize_url = !o.authorize_url.empty() ? o.authorize_url
                                             : auth_base + o.authorize_path;
  f.scopes = o.scopes;
  f.pkce = o.pkce;
  f.needs_secret = o.needs_secret;
  if (!pc.authorize_url.empty()) // tests, or a provider that moved its page
    f.authorize_url = pc.authorize_url;
  return f;
}

std::string authorize_url(const oauth_flow& flow, const std::string& client_id,
                          const std::string& redirect_uri,
                          const std::string& state,
                          const std::string& code_verifier) {
  auto url = flow.authorize_url + "?client_id=" + form_encode(client_id)
             + "&response_type=code&redirect_uri=" + form_encode(redirect_uri)
             + "&scope=" + form_encode(flow.scopes)
             + "&state=" + form_encode(state);
  if (flow.pkce)
    url += "&code_challenge_method=S256&code_challenge="
           + pkce_challenge(code_verifier);
  return url;
}

} // namespace discotheque
