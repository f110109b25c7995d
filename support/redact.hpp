// Secrets out of log lines: every URL, request body, header or error text
// that may carry a credential goes through redact() before it is logged or
// stored as an error message.
#pragma once

#include <string>
#include <string_view>

namespace discotheque {

/// `text` with the values of the secret parameters (apikey, api_key,
/// access_token, refresh_token, client_secret, code_verifier, code,
/// password, token) replaced by `***`, in `a=b&c=d` forms (queries, form
/// bodies) and JSON `"name":"value"` forms, and with the credential of
/// `Authorization: <scheme> …` and `X-Api-Key: …` headers replaced too.
/// Names match case-insensitively and only as whole names (`error_code=`
/// is left alone).
std::string redact(std::string_view text);

} // namespace discotheque
