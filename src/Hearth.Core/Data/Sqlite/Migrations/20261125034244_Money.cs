using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Hearth.Core.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Money : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ledger_pots",
                columns: table => new
                {
                    name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    description = table.Column<string>(type: "TEXT", maxLength: 400, nullable: true),
                    opened_on = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    created_utc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    created_by = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ledger_pots", x => x.name);
                });

            migrationBuilder.CreateTable(
                name: "local_unit_costs",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    code = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    description = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    unit = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    agency_l1 = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    agency_l2 = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    category = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    fiscal_pence = table.Column<long>(type: "INTEGER", nullable: true),
                    fiscal_year = table.Column<int>(type: "INTEGER", nullable: true),
                    economic_pence = table.Column<long>(type: "INTEGER", nullable: true),
                    economic_year = table.Column<int>(type: "INTEGER", nullable: true),
                    social_pence = table.Column<long>(type: "INTEGER", nullable: true),
                    social_year = table.Column<int>(type: "INTEGER", nullable: true),
                    is_transfer_payment = table.Column<bool>(type: "INTEGER", nullable: false),
                    rag = table.Column<string>(type: "TEXT", maxLength: 5, nullable: true),
                    source = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    source_date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    created_utc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    created_by = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    updated_utc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    updated_by = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_local_unit_costs", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "ledger_postings",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    number = table.Column<long>(type: "INTEGER", nullable: false),
                    date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    description = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    reverses = table.Column<long>(type: "INTEGER", nullable: true),
                    pot = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    operation = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    posted_utc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    posted_by = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ledger_postings", x => x.id);
                    table.ForeignKey(
                        name: "fk_ledger_postings_ledger_pots_pot",
                        column: x => x.pot,
                        principalTable: "ledger_pots",
                        principalColumn: "name",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ledger_lines",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    posting_id = table.Column<long>(type: "INTEGER", nullable: false),
                    line_number = table.Column<int>(type: "INTEGER", nullable: false),
                    account_kind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    account_key = table.Column<string>(type: "TEXT", maxLength: 250, nullable: false),
                    debit_pence = table.Column<long>(type: "INTEGER", nullable: false),
                    credit_pence = table.Column<long>(type: "INTEGER", nullable: false),
                    agency = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    year = table.Column<int>(type: "INTEGER", nullable: true),
                    service = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    family_ref = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ledger_lines", x => x.id);
                    table.ForeignKey(
                        name: "fk_ledger_lines_ledger_postings_posting_id",
                        column: x => x.posting_id,
                        principalTable: "ledger_postings",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_ledger_lines_account_kind_account_key",
                table: "ledger_lines",
                columns: new[] { "account_kind", "account_key" });

            migrationBuilder.CreateIndex(
                name: "ix_ledger_lines_family_ref",
                table: "ledger_lines",
                column: "family_ref");

            migrationBuilder.CreateIndex(
                name: "ix_ledger_lines_posting_id_line_number",
                table: "ledger_lines",
                columns: new[] { "posting_id", "line_number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_ledger_postings_number",
                table: "ledger_postings",
                column: "number",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_ledger_postings_pot",
                table: "ledger_postings",
                column: "pot");

            migrationBuilder.CreateIndex(
                name: "ix_local_unit_costs_code",
                table: "local_unit_costs",
                column: "code",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ledger_lines");

            migrationBuilder.DropTable(
                name: "local_unit_costs");

            migrationBuilder.DropTable(
                name: "ledger_postings");

            migrationBuilder.DropTable(
                name: "ledger_pots");
        }
    }
}
