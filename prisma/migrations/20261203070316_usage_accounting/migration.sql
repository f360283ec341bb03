-- CreateTable
CREATE TABLE "usage" (
    "workspace" TEXT NOT NULL,
    "bucket" TIMESTAMPTZ(6) NOT NULL,
    "principal" TEXT NOT NULL DEFAULT '',
    "key_id" TEXT NOT NULL DEFAULT '',
    "model" TEXT NOT NULL DEFAULT '',
    "provider" TEXT NOT NULL DEFAULT '',
    "currency" TEXT NOT NULL DEFAULT '',
    "requests" BIGINT NOT NULL DEFAULT 0,
    "errors" BIGINT NOT NULL DEFAULT 0,
    "input_tokens" BIGINT NOT NULL DEFAULT 0,
    "output_tokens" BIGINT NOT NULL DEFAULT 0,
    "cost" DECIMAL(30,12),

    CONSTRAINT "usage_pkey" PRIMARY KEY ("workspace","bucket","principal","key_id","model","provider","currency")
);

-- AddForeignKey
ALTER TABLE "usage" ADD CONSTRAINT "usage_workspace_fkey" FOREIGN KEY ("workspace") REFERENCES "workspaces"("name") ON DELETE CASCADE ON UPDATE CASCADE;
