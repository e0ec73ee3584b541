-- events.endpoint_id is a copy of its delivery's endpoint_id, which deliveries_endpoint_id_fkey
-- already guards (endpoints are only ever soft-deleted). Its own foreign key cost one more
-- referential check, a statement run per inserted event, for nothing the delivery's does not hold.
ALTER TABLE "events" DROP CONSTRAINT "events_endpoint_id_fkey";
