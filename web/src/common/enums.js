// The server's enums, as its document (web/openapi.json, see generate-api.mjs) lists them.
// The words the pages show for them are in common.messages.js (`bookingStatus.paid`, …); a
// value the server adds appears in the pages' lists at the next build, and
// tests/enums.test.mjs requires a label for it in every language.
import {
  bookingReadPriority_segmentValues,
  bookingReadStatusValues,
  courseLevelValues,
  courseRegistrationExperience_levelValues,
  courseRegistrationPreferred_daysValues,
  courseRegistrationReferral_sourceValues,
  enrollmentUpdateStatusValues,
  segmentItemCustomer_segmentValues,
} from '../../generated/openapi.js';

/// Service bookings: status and priority segment (GET /bookings/ filters by both).
export const BOOKING_STATUSES = bookingReadStatusValues;
export const PRIORITY_SEGMENTS = bookingReadPriority_segmentValues;

/// The orders of GET /bookings/?order_by=, as the board offers them (not every one).
export const BOOKING_ORDERS = ['priority_score_desc', 'tanggal_acara_asc', 'tanggal_acara_desc', 'id_desc'];

/// Open bookings need the owner; finished ones are history.
export const OPEN_STATUSES = ['pending', 'confirmed', 'dp', 'paid'];

/// RFM segments, best first (the order of their cluster numbers).
export const CUSTOMER_SEGMENTS = segmentItemCustomer_segmentValues;

export const ENROLLMENT_STATUSES = enrollmentUpdateStatusValues;

export const COURSE_LEVELS = courseLevelValues;

/// What a registration may say of the applicant's experience (all_levels is for courses).
export const EXPERIENCE_LEVELS = courseRegistrationExperience_levelValues;

export const WEEKDAYS = courseRegistrationPreferred_daysValues;

export const REFERRAL_SOURCES = courseRegistrationReferral_sourceValues;
