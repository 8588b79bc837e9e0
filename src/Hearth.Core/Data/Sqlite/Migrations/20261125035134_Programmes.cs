using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Hearth.Core.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Programmes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "programme_attachments",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    family_id = table.Column<long>(type: "INTEGER", nullable: false),
                    scheme = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    framework_id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    framework_version = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    framework_hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    attached_on = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    cohort = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    closed_on = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    closure_reason = table.Column<string>(type: "TEXT", maxLength: 400, nullable: true),
                    baseline_json = table.Column<string>(type: "TEXT", nullable: false),
                    key_worker_assigned = table.Column<bool>(type: "INTEGER", nullable: true),
                    assessment_done = table.Column<bool>(type: "INTEGER", nullable: true),
                    plan_covers_needs = table.Column<bool>(type: "INTEGER", nullable: true),
                    baseline_sha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    baseline_needs = table.Column<int>(type: "INTEGER", nullable: false),
                    created_by = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    created_utc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_programme_attachments", x => x.id);
                    table.ForeignKey(
                        name: "fk_programme_attachments_families_family_id",
                        column: x => x.family_id,
                        principalTable: "families",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "programme_claim_batches",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    reference = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    framework_id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    window_id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    window_start = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    window_end = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    claim_date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    allocation_families = table.Column<int>(type: "INTEGER", nullable: false),
                    sample_seed = table.Column<long>(type: "INTEGER", nullable: false),
                    sample_rate = table.Column<decimal>(type: "TEXT", precision: 9, scale: 6, nullable: false),
                    created_by = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    created_utc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_programme_claim_batches", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "programme_need_measurements",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    attachment_id = table.Column<long>(type: "INTEGER", nullable: false),
                    need_id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    person_reference = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    why = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    evidence_json = table.Column<string>(type: "TEXT", nullable: false),
                    measured_as_of = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    measured_utc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_programme_need_measurements", x => x.id);
                    table.ForeignKey(
                        name: "fk_programme_need_measurements_programme_attachments_attachment_id",
                        column: x => x.attachment_id,
                        principalTable: "programme_attachments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "programme_claims",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    reference = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    batch_id = table.Column<long>(type: "INTEGER", nullable: true),
                    family_id = table.Column<long>(type: "INTEGER", nullable: false),
                    attachment_id = table.Column<long>(type: "INTEGER", nullable: true),
                    scheme = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    framework_id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    framework_version = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    result_id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    window_id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    window_start = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    window_end = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    claim_date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    amount_pence = table.Column<long>(type: "INTEGER", nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    discretionary = table.Column<bool>(type: "INTEGER", nullable: false),
                    discretionary_rationale = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    discretionary_approved_by = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    risk_flags = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    sampled_because = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    evidence_json = table.Column<string>(type: "TEXT", nullable: false),
                    evidence_sha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    created_by = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    created_utc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_programme_claims", x => x.id);
                    table.ForeignKey(
                        name: "fk_programme_claims_families_family_id",
                        column: x => x.family_id,
                        principalTable: "families",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_programme_claims_programme_attachments_attachment_id",
                        column: x => x.attachment_id,
                        principalTable: "programme_attachments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_programme_claims_programme_claim_batches_batch_id",
                        column: x => x.batch_id,
                        principalTable: "programme_claim_batches",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "programme_claim_transitions",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    claim_id = table.Column<long>(type: "INTEGER", nullable: false),
                    from_status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    to_status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    actor_id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    actor_name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    at_utc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    reason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_programme_claim_transitions", x => x.id);
                    table.ForeignKey(
                        name: "fk_programme_claim_transitions_programme_claims_claim_id",
                        column: x => x.claim_id,
                        principalTable: "programme_claims",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_programme_attachments_family_id_scheme",
                table: "programme_attachments",
                columns: new[] { "family_id", "scheme" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_programme_attachments_framework_id_cohort",
                table: "programme_attachments",
                columns: new[] { "framework_id", "cohort" });

            migrationBuilder.CreateIndex(
                name: "ix_programme_claim_batches_reference",
                table: "programme_claim_batches",
                column: "reference",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_programme_claim_transitions_claim_id",
                table: "programme_claim_transitions",
                column: "claim_id");

            migrationBuilder.CreateIndex(
                name: "ix_programme_claims_attachment_id",
                table: "programme_claims",
                column: "attachment_id");

            migrationBuilder.CreateIndex(
                name: "ix_programme_claims_batch_id",
                table: "programme_claims",
                column: "batch_id");

            migrationBuilder.CreateIndex(
                name: "ix_programme_claims_family_id",
                table: "programme_claims",
                column: "family_id");

            migrationBuilder.CreateIndex(
                name: "ix_programme_claims_reference",
                table: "programme_claims",
                column: "reference",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_programme_claims_window_id_status",
                table: "programme_claims",
                columns: new[] { "window_id", "status" });

            migrationBuilder.CreateIndex(
                name: "ux_programme_claims_no_double_claim",
                table: "programme_claims",
                columns: new[] { "scheme", "family_id", "result_id" },
                unique: true,
                filter: "status <> 'Rejected'");

            migrationBuilder.CreateIndex(
                name: "ix_programme_need_measurements_attachment_id",
                table: "programme_need_measurements",
                column: "attachment_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "programme_claim_transitions");

            migrationBuilder.DropTable(
                name: "programme_need_measurements");

            migrationBuilder.DropTable(
                name: "programme_claims");

            migrationBuilder.DropTable(
                name: "programme_attachments");

            migrationBuilder.DropTable(
                name: "programme_claim_batches");
        }
    }
}
