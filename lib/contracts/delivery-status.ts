/** What processing made of a stored delivery (the refused ones are not stored: status=rejected lists them apart). */
export const deliveryStatuses = ["received", "processed", "duplicate", "ignored", "failed"] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];
