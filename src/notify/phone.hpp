#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace janji::notify {

/// A phone number as people type it, in E.164 ("+6281234567890"), or nullopt when it is
/// not one. Spaces, dashes, dots and parentheses are dropped first. Indonesian mobile
/// numbers may be written "0812…" or "62812…"; either becomes "+62812…" and must then be
/// +62 8 followed by 8 to 12 digits. A number written with '+' keeps its country: 8 to 15
/// digits, no leading 0, and a +62 number must not start its national part with 0 either
/// ("+62 0812…" is a typo, not a number).
std::optional<std::string> to_e164(std::string_view number);

/// "https://wa.me/<digits>?text=<text>": the link that opens WhatsApp with `text` typed
/// into a chat with `e164` (wa.me wants the digits without '+'), the text percent-encoded as
/// UTF-8. Without text the link only opens the chat. Throws std::invalid_argument when
/// `e164` is not '+' followed by digits.
std::string wa_me_link(std::string_view e164, std::string_view text);

}  // namespace janji::notify
