// The server's enums, as its document (web/openapi.json, see generate-api.mjs) lists them,
// with the words the pages show for them. A value the server adds appears in the pages'
// lists at the next build; tests/enums.test.mjs requires a label for each one.
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
export const BOOKING_ORDERS = {
  priority_score_desc: 'Priority, highest first',
  tanggal_acara_asc: 'Event date, soonest first',
  tanggal_acara_desc: 'Event date, latest first',
  id_desc: 'Newest booking first',
};

/// RFM segments, best first (the order of their cluster numbers).
export const CUSTOMER_SEGMENTS = segmentItemCustomer_segmentValues;

export const ENROLLMENT_STATUSES = enrollmentUpdateStatusValues;

export const COURSE_LEVEL_LABELS = {
  beginner: 'Beginner',
  intermediate: 'Intermediate',
  advanced: 'Advanced',
  all_levels: 'All levels',
};
export const COURSE_LEVELS = courseLevelValues;

/// What a registration may say of the applicant's experience (all_levels is for courses).
export const EXPERIENCE_LEVELS = courseRegistrationExperience_levelValues;

export const WEEKDAYS = courseRegistrationPreferred_daysValues;
export const WEEKDAY_LABELS = {
  monday: 'Monday',
  tuesday: 'Tuesday',
  wednesday: 'Wednesday',
  thursday: 'Thursday',
  friday: 'Friday',
  saturday: 'Saturday',
  sunday: 'Sunday',
};
/// "Mon" for "monday"; a day it does not know as it came.
export const shortWeekday = (day) => WEEKDAY_LABELS[day]?.slice(0, 3) ?? day;

export const REFERRAL_SOURCES = courseRegistrationReferral_sourceValues;
export const REFERRAL_LABELS = {
  instagram: 'Instagram',
  facebook: 'Facebook',
  google: 'Google',
  tiktok: 'TikTok',
  friend: 'A friend',
  website: 'Our website',
  other: 'Somewhere else',
};
