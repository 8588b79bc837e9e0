using Microsoft.EntityFrameworkCore.Migrations;

namespace Hearth.Core.Audit;

/// <summary>
/// Makes <c>audit_entries</c> append-only on PostgreSQL: row triggers reject UPDATE and DELETE and a statement
/// trigger rejects TRUNCATE, whoever runs them. The table owner can still disable triggers; the hash chain and
/// the signed checkpoints catch what is done then. Called from the Security migration.
/// </summary>
public static class AuditAppendOnly
{
    public const string CreateSql = """
        CREATE OR REPLACE FUNCTION hearth_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'audit_entries is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
        END
        $$;
        CREATE TRIGGER audit_entries_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_entries
            FOR EACH ROW EXECUTE FUNCTION hearth_audit_append_only();
        CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries
            FOR EACH STATEMENT EXECUTE FUNCTION hearth_audit_append_only();
        """;

    public const string DropSql = """
        DROP TRIGGER IF EXISTS audit_entries_no_truncate ON audit_entries;
        DROP TRIGGER IF EXISTS audit_entries_no_update_or_delete ON audit_entries;
        DROP FUNCTION IF EXISTS hearth_audit_append_only();
        """;

    public static void CreatePostgresTriggers(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.Sql(CreateSql);
    }

    public static void DropPostgresTriggers(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.Sql(DropSql);
    }
}
