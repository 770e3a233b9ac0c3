#pragma once

#include "audit/dto.hpp"
#include "http/message.hpp"

namespace janji::audit {

/// `subject_type`, `subject_id`, `actor_id`, `page` (from 1) and `limit` (1 to 100, 20).
/// 400 VALIDATION_ERROR on the course envelope surface. Pure.
Filter parse_filter(const http::Pairs& query);

}  // namespace janji::audit
