// Parse an iCalendar file with Mozilla's ical.js (the parser Thunderbird uses) and print its
// events as JSON, with every time as a UTC instant and as Europe/Oslo wall-clock time.
// Only the feed's own VTIMEZONEs are registered: a TZID without one would fall back to
// floating time (run with TZ=UTC), so a missing or wrong VTIMEZONE shows up in the instants.
//
//   node tests/icaljs_dump.mjs feed.ics     (or the feed on stdin)
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const MAX_OCCURRENCES = 200;
const text = readFileSync(process.argv[2] ?? 0, "utf8");
const calendar = new ICAL.Component(ICAL.parse(text));
const timezones = calendar.getAllSubcomponents("vtimezone");
for (const vtimezone of timezones) ICAL.TimezoneService.register(vtimezone);
const oslo = ICAL.TimezoneService.get("Europe/Oslo");

function offset(seconds) {
  const sign = seconds < 0 ? "-" : "+";
  const minutes = Math.abs(seconds) / 60;
  const hh = String(Math.floor(minutes / 60)).padStart(2, "0");
  const mm = String(minutes % 60).padStart(2, "0");
  return `${sign}${hh}:${mm}`;
}

function moment(time) {
  if (!time) return null;
  if (time.isDate) return { date: time.toString() };
  const result = { utc: time.toJSDate().toISOString(), tzid: time.zone ? time.zone.tzid : null };
  if (oslo) {
    const local = time.convertToZone(oslo);
    result.oslo = local.toString();
    result.offset = offset(oslo.utcOffset(local));
  }
  return result;
}

const events = calendar.getAllSubcomponents("vevent").map((vevent) => {
  const event = new ICAL.Event(vevent);
  const value = (name) => {
    const v = vevent.getFirstPropertyValue(name);
    return v === null || v === undefined ? null : v.toString();
  };
  const result = {
    uid: event.uid,
    summary: event.summary,
    description: event.description,
    location: event.location,
    status: value("status"),
    url: value("url"),
    sequence: event.sequence,
    dtstamp: value("dtstamp"),
    lastModified: value("last-modified"),
    rrule: value("rrule"),
    start: moment(event.startDate),
    end: moment(event.endDate),
  };
  if (event.isRecurring()) {
    const iterator = event.iterator();
    const occurrences = [];
    for (let next = iterator.next(); next && occurrences.length < MAX_OCCURRENCES; next = iterator.next()) {
      occurrences.push(moment(next));
    }
    result.occurrences = occurrences;
  }
  return result;
});

process.stdout.write(
  JSON.stringify({
    name: calendar.getFirstPropertyValue("x-wr-calname"),
    timezones: timezones.map((tz) => tz.getFirstPropertyValue("tzid")),
    events,
  }),
);
