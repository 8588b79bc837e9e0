using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Hearth.Core.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Persons : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "households",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    reference = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    uprn = table.Column<string>(type: "TEXT", maxLength: 12, nullable: true),
                    postcode = table.Column<string>(type: "TEXT", maxLength: 8, nullable: true),
                    address = table.Column<string>(type: "TEXT", nullable: true),
                    created_utc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_households", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "link_reviews",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    left_source_record_id = table.Column<long>(type: "INTEGER", nullable: false),
                    right_source_record_id = table.Column<long>(type: "INTEGER", nullable: false),
                    match_weight = table.Column<double>(type: "REAL", nullable: false),
                    match_probability = table.Column<double>(type: "REAL", nullable: false),
                    explanation = table.Column<string>(type: "TEXT", nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    first_run_id = table.Column<long>(type: "INTEGER", nullable: false),
                    last_run_id = table.Column<long>(type: "INTEGER", nullable: false),
                    decided_by = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    decided_utc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    reason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_link_reviews", x => x.id);
                    table.ForeignKey(
                        name: "fk_link_reviews_source_records_left_source_record_id",
                        column: x => x.left_source_record_id,
                        principalTable: "source_records",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_link_reviews_source_records_right_source_record_id",
                        column: x => x.right_source_record_id,
                        principalTable: "source_records",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "linkage_runs",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    started_utc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    completed_utc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    started_by = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    threshold_weight = table.Column<double>(type: "REAL", nullable: false),
                    review_weight = table.Column<double>(type: "REAL", nullable: false),
                    source_records = table.Column<int>(type: "INTEGER", nullable: false),
                    persons = table.Column<int>(type: "INTEGER", nullable: false),
                    new_persons = table.Column<int>(type: "INTEGER", nullable: false),
                    candidate_pairs = table.Column<long>(type: "INTEGER", nullable: false),
                    linked_pairs = table.Column<long>(type: "INTEGER", nullable: false),
                    review_pairs = table.Column<int>(type: "INTEGER", nullable: false),
                    households = table.Column<int>(type: "INTEGER", nullable: false),
                    families = table.Column<int>(type: "INTEGER", nullable: false),
                    settings_yaml = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_linkage_runs", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "families",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    reference = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    household_id = table.Column<long>(type: "INTEGER", nullable: true),
                    created_utc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    retired_utc = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_families", x => x.id);
                    table.ForeignKey(
                        name: "fk_families_households_household_id",
                        column: x => x.household_id,
                        principalTable: "households",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "persons",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    reference = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    created_utc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    created_by_run_id = table.Column<long>(type: "INTEGER", nullable: false),
                    merged_into_person_id = table.Column<long>(type: "INTEGER", nullable: true),
                    retired_utc = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_persons", x => x.id);
                    table.ForeignKey(
                        name: "fk_persons_linkage_runs_created_by_run_id",
                        column: x => x.created_by_run_id,
                        principalTable: "linkage_runs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_persons_persons_merged_into_person_id",
                        column: x => x.merged_into_person_id,
                        principalTable: "persons",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "family_members",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    family_id = table.Column<long>(type: "INTEGER", nullable: false),
                    person_id = table.Column<long>(type: "INTEGER", nullable: false),
                    role = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    relationship = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    from = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    to = table.Column<DateOnly>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_family_members", x => x.id);
                    table.ForeignKey(
                        name: "fk_family_members_families_family_id",
                        column: x => x.family_id,
                        principalTable: "families",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_family_members_persons_person_id",
                        column: x => x.person_id,
                        principalTable: "persons",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "household_members",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    household_id = table.Column<long>(type: "INTEGER", nullable: false),
                    person_id = table.Column<long>(type: "INTEGER", nullable: false),
                    from = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    to = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    evidence = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_household_members", x => x.id);
                    table.ForeignKey(
                        name: "fk_household_members_households_household_id",
                        column: x => x.household_id,
                        principalTable: "households",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_household_members_persons_person_id",
                        column: x => x.person_id,
                        principalTable: "persons",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "person_records",
                columns: table => new
                {
                    source_record_id = table.Column<long>(type: "INTEGER", nullable: false),
                    person_id = table.Column<long>(type: "INTEGER", nullable: false),
                    method = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    match_weight = table.Column<double>(type: "REAL", nullable: true),
                    linkage_run_id = table.Column<long>(type: "INTEGER", nullable: false),
                    linked_utc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_person_records", x => x.source_record_id);
                    table.ForeignKey(
                        name: "fk_person_records_linkage_runs_linkage_run_id",
                        column: x => x.linkage_run_id,
                        principalTable: "linkage_runs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_person_records_persons_person_id",
                        column: x => x.person_id,
                        principalTable: "persons",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_person_records_source_records_source_record_id",
                        column: x => x.source_record_id,
                        principalTable: "source_records",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_families_household_id",
                table: "families",
                column: "household_id");

            migrationBuilder.CreateIndex(
                name: "ix_families_reference",
                table: "families",
                column: "reference",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_family_members_family_id",
                table: "family_members",
                column: "family_id");

            migrationBuilder.CreateIndex(
                name: "ix_family_members_person_id",
                table: "family_members",
                column: "person_id");

            migrationBuilder.CreateIndex(
                name: "ix_household_members_household_id",
                table: "household_members",
                column: "household_id");

            migrationBuilder.CreateIndex(
                name: "ix_household_members_person_id",
                table: "household_members",
                column: "person_id");

            migrationBuilder.CreateIndex(
                name: "ix_households_reference",
                table: "households",
                column: "reference",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_households_uprn",
                table: "households",
                column: "uprn");

            migrationBuilder.CreateIndex(
                name: "ix_link_reviews_left_source_record_id_right_source_record_id",
                table: "link_reviews",
                columns: new[] { "left_source_record_id", "right_source_record_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_link_reviews_right_source_record_id",
                table: "link_reviews",
                column: "right_source_record_id");

            migrationBuilder.CreateIndex(
                name: "ix_link_reviews_status",
                table: "link_reviews",
                column: "status");

            migrationBuilder.CreateIndex(
                name: "ix_person_records_linkage_run_id",
                table: "person_records",
                column: "linkage_run_id");

            migrationBuilder.CreateIndex(
                name: "ix_person_records_person_id",
                table: "person_records",
                column: "person_id");

            migrationBuilder.CreateIndex(
                name: "ix_persons_created_by_run_id",
                table: "persons",
                column: "created_by_run_id");

            migrationBuilder.CreateIndex(
                name: "ix_persons_merged_into_person_id",
                table: "persons",
                column: "merged_into_person_id");

            migrationBuilder.CreateIndex(
                name: "ix_persons_reference",
                table: "persons",
                column: "reference",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "family_members");

            migrationBuilder.DropTable(
                name: "household_members");

            migrationBuilder.DropTable(
                name: "link_reviews");

            migrationBuilder.DropTable(
                name: "person_records");

            migrationBuilder.DropTable(
                name: "families");

            migrationBuilder.DropTable(
                name: "persons");

            migrationBuilder.DropTable(
                name: "households");

            migrationBuilder.DropTable(
                name: "linkage_runs");
        }
    }
}
