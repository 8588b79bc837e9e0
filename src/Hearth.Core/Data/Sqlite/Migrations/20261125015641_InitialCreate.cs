using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Hearth.Core.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class InitialCreate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "agencies",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    created_utc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_agencies", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "datasets",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    agency_id = table.Column<string>(type: "TEXT", nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    event_type = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    period_start = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    period_end = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    file_name = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    sha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    file_bytes = table.Column<long>(type: "INTEGER", nullable: false),
                    rows_read = table.Column<int>(type: "INTEGER", nullable: false),
                    rows_stored = table.Column<int>(type: "INTEGER", nullable: false),
                    rows_quarantined = table.Column<int>(type: "INTEGER", nullable: false),
                    rows_duplicate = table.Column<int>(type: "INTEGER", nullable: false),
                    rows_with_warnings = table.Column<int>(type: "INTEGER", nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    imported_by = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    started_utc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    completed_utc = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_datasets", x => x.id);
                    table.ForeignKey(
                        name: "fk_datasets_agencies_agency_id",
                        column: x => x.agency_id,
                        principalTable: "agencies",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "import_issues",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    dataset_id = table.Column<long>(type: "INTEGER", nullable: false),
                    row_number = table.Column<int>(type: "INTEGER", nullable: true),
                    column_name = table.Column<string>(type: "TEXT", nullable: true),
                    field = table.Column<string>(type: "TEXT", nullable: true),
                    code = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    severity = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    message = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_import_issues", x => x.id);
                    table.ForeignKey(
                        name: "fk_import_issues_datasets_dataset_id",
                        column: x => x.dataset_id,
                        principalTable: "datasets",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "quarantined_rows",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    dataset_id = table.Column<long>(type: "INTEGER", nullable: false),
                    row_number = table.Column<int>(type: "INTEGER", nullable: false),
                    raw_text = table.Column<string>(type: "TEXT", nullable: false),
                    reasons = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_quarantined_rows", x => x.id);
                    table.ForeignKey(
                        name: "fk_quarantined_rows_datasets_dataset_id",
                        column: x => x.dataset_id,
                        principalTable: "datasets",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "source_records",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    agency_id = table.Column<string>(type: "TEXT", nullable: false),
                    dataset_id = table.Column<long>(type: "INTEGER", nullable: false),
                    row_number = table.Column<int>(type: "INTEGER", nullable: false),
                    agency_record_id = table.Column<string>(type: "TEXT", nullable: false),
                    given_name = table.Column<string>(type: "TEXT", nullable: true),
                    family_name = table.Column<string>(type: "TEXT", nullable: true),
                    other_names = table.Column<string>(type: "TEXT", nullable: true),
                    date_of_birth = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    sex = table.Column<string>(type: "TEXT", nullable: true),
                    address = table.Column<string>(type: "TEXT", nullable: true),
                    postcode = table.Column<string>(type: "TEXT", nullable: true),
                    uprn = table.Column<string>(type: "TEXT", nullable: true),
                    nhs_number = table.Column<string>(type: "TEXT", nullable: true),
                    nino = table.Column<string>(type: "TEXT", nullable: true),
                    upn = table.Column<string>(type: "TEXT", nullable: true),
                    details_hash = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_source_records", x => x.id);
                    table.ForeignKey(
                        name: "fk_source_records_agencies_agency_id",
                        column: x => x.agency_id,
                        principalTable: "agencies",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_source_records_datasets_dataset_id",
                        column: x => x.dataset_id,
                        principalTable: "datasets",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "events",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    agency_id = table.Column<string>(type: "TEXT", nullable: false),
                    source_record_id = table.Column<long>(type: "INTEGER", nullable: false),
                    dataset_id = table.Column<long>(type: "INTEGER", nullable: false),
                    row_number = table.Column<int>(type: "INTEGER", nullable: false),
                    start_date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    end_date = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    fingerprint = table.Column<byte[]>(type: "BLOB", nullable: false),
                    event_type = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    incident_type = table.Column<string>(type: "TEXT", nullable: true),
                    role = table.Column<string>(type: "TEXT", nullable: true),
                    benefit_type = table.Column<string>(type: "TEXT", nullable: true),
                    weekly_amount_pence = table.Column<long>(type: "INTEGER", nullable: true),
                    risk_level = table.Column<string>(type: "TEXT", nullable: true),
                    referral_source = table.Column<string>(type: "TEXT", nullable: true),
                    reason = table.Column<string>(type: "TEXT", nullable: true),
                    outcome = table.Column<string>(type: "TEXT", nullable: true),
                    employment_status = table.Column<string>(type: "TEXT", nullable: true),
                    hours_per_week = table.Column<int>(type: "INTEGER", nullable: true),
                    contact_type = table.Column<string>(type: "TEXT", nullable: true),
                    housing_event_type = table.Column<string>(type: "TEXT", nullable: true),
                    tenure = table.Column<string>(type: "TEXT", nullable: true),
                    arrears_pence = table.Column<long>(type: "INTEGER", nullable: true),
                    offence_code = table.Column<string>(type: "TEXT", nullable: true),
                    offence_category = table.Column<string>(type: "TEXT", nullable: true),
                    school_id = table.Column<string>(type: "TEXT", nullable: true),
                    term = table.Column<string>(type: "TEXT", nullable: true),
                    sessions_possible = table.Column<int>(type: "INTEGER", nullable: true),
                    sessions_authorised_absence = table.Column<int>(type: "INTEGER", nullable: true),
                    sessions_unauthorised_absence = table.Column<int>(type: "INTEGER", nullable: true),
                    exclusion_kind = table.Column<string>(type: "TEXT", nullable: true),
                    sessions = table.Column<int>(type: "INTEGER", nullable: true),
                    episode_type = table.Column<string>(type: "TEXT", nullable: true),
                    disposal = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_events", x => x.id);
                    table.ForeignKey(
                        name: "fk_events_datasets_dataset_id",
                        column: x => x.dataset_id,
                        principalTable: "datasets",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_events_source_records_source_record_id",
                        column: x => x.source_record_id,
                        principalTable: "source_records",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_datasets_agency_id_kind_sha256",
                table: "datasets",
                columns: new[] { "agency_id", "kind", "sha256" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_events_agency_id_fingerprint",
                table: "events",
                columns: new[] { "agency_id", "fingerprint" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_events_dataset_id",
                table: "events",
                column: "dataset_id");

            migrationBuilder.CreateIndex(
                name: "ix_events_source_record_id",
                table: "events",
                column: "source_record_id");

            migrationBuilder.CreateIndex(
                name: "ix_import_issues_dataset_id_row_number",
                table: "import_issues",
                columns: new[] { "dataset_id", "row_number" });

            migrationBuilder.CreateIndex(
                name: "ix_quarantined_rows_dataset_id_row_number",
                table: "quarantined_rows",
                columns: new[] { "dataset_id", "row_number" });

            migrationBuilder.CreateIndex(
                name: "ix_source_records_agency_id_agency_record_id",
                table: "source_records",
                columns: new[] { "agency_id", "agency_record_id" });

            migrationBuilder.CreateIndex(
                name: "ix_source_records_agency_id_details_hash",
                table: "source_records",
                columns: new[] { "agency_id", "details_hash" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_source_records_dataset_id",
                table: "source_records",
                column: "dataset_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "events");

            migrationBuilder.DropTable(
                name: "import_issues");

            migrationBuilder.DropTable(
                name: "quarantined_rows");

            migrationBuilder.DropTable(
                name: "source_records");

            migrationBuilder.DropTable(
                name: "datasets");

            migrationBuilder.DropTable(
                name: "agencies");
        }
    }
}
