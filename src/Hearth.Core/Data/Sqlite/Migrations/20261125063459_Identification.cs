using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Hearth.Core.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Identification : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "identification_runs",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    framework_id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    framework_version = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    framework_hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    as_of = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    started_utc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    completed_utc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    run_by = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    families = table.Column<long>(type: "INTEGER", nullable: false),
                    eligible = table.Column<long>(type: "INTEGER", nullable: false),
                    not_eligible = table.Column<long>(type: "INTEGER", nullable: false),
                    unknown = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_identification_runs", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "identification_run_families",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    run_id = table.Column<long>(type: "INTEGER", nullable: false),
                    family_id = table.Column<long>(type: "INTEGER", nullable: false),
                    eligible = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    needs_raised = table.Column<int>(type: "INTEGER", nullable: false),
                    headlines_raised = table.Column<int>(type: "INTEGER", nullable: false),
                    headlines = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    reason = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_identification_run_families", x => x.id);
                    table.ForeignKey(
                        name: "fk_identification_run_families_families_family_id",
                        column: x => x.family_id,
                        principalTable: "families",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_identification_run_families_identification_runs_run_id",
                        column: x => x.run_id,
                        principalTable: "identification_runs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_identification_run_families_family_id",
                table: "identification_run_families",
                column: "family_id");

            migrationBuilder.CreateIndex(
                name: "ix_identification_run_families_run_id_eligible_family_id",
                table: "identification_run_families",
                columns: new[] { "run_id", "eligible", "family_id" });

            migrationBuilder.CreateIndex(
                name: "ix_identification_runs_framework_id_completed_utc",
                table: "identification_runs",
                columns: new[] { "framework_id", "completed_utc" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "identification_run_families");

            migrationBuilder.DropTable(
                name: "identification_runs");
        }
    }
}
