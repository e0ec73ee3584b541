-- CreateTable
CREATE TABLE "changed_paths_state" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "version" INTEGER,
    "target" INTEGER,
    "cleared_after" TEXT,
    "lease_owner" TEXT,
    "lease_until" TIMESTAMPTZ(3),

    CONSTRAINT "changed_paths_state_pkey" PRIMARY KEY ("id")
);
