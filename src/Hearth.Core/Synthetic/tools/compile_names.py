#!/usr/bin/env python3
"""Compiles the ONS name statistics in data/names into the synthetic borough's embedded resources.

Usage: python3 compile_names.py SOURCE_DIR ERRORS_DIR OUT_DIR

firstnames.csv.gz  band,sex,name,weight
  bands 1996, 2001, 2006, 2011, 2016: summed ONS counts for the five birth years, top 2,000 per sex;
  bands 1900 ... 1980: the decade's ONS top 100 (1904, 1914, ... 1984) with Zipf weights 1000/rank;
  band 1990: the 1994 top 100 (Zipf) blended half and half with the 1996-2000 counts (top 1,000).
surnames.csv.gz    name,weight      (weight = ONS share x 1e6, rounded)
firstname_variants.csv.gz name,variant,weight (only names that occur in firstnames)
surname_variants.csv.gz   name,variant,weight
phonetic_rules.csv        copied unchanged (sdglinkage, FEBRL rules)
"""
import csv, gzip, io, sys, collections, shutil, os

src, errs, out = sys.argv[1], sys.argv[2], sys.argv[3]

def title(name):
    parts = []
    for sep_part in name.lower().split('-'):
        words = []
        for w in sep_part.split(' '):
            w = w[:1].upper() + w[1:]
            if w.startswith("Mc") and len(w) > 2:
                w = "Mc" + w[2].upper() + w[3:]
            if w.startswith("O'") and len(w) > 2:
                w = "O'" + w[2].upper() + w[3:]
            words.append(w)
        parts.append(' '.join(words))
    return '-'.join(parts)

def write_gz(path, header, rows):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator='\n')
    w.writerow(header)
    for r in rows:
        w.writerow(r)
    with open(path, 'wb') as f:
        # mtime=0 keeps the file byte-identical between runs
        with gzip.GzipFile(filename='', mode='wb', fileobj=f, mtime=0) as g:
            g.write(buf.getvalue().encode('utf-8'))

counts = collections.defaultdict(collections.Counter)
with open(os.path.join(src, 'ew_firstnames_1996_2020.csv')) as f:
    for r in csv.DictReader(f):
        y = int(r['year']); band = 1996 + (y - 1996) // 5 * 5
        counts[(band, r['sex'])][r['name']] += int(r['count'])
top100 = collections.defaultdict(dict)
with open(os.path.join(src, 'ew_firstnames_top100_1904_1994.csv')) as f:
    for r in csv.DictReader(f):
        top100[(int(r['year']), r['sex'])][r['name']] = int(r['ranking'])

rows = []
known = set()
for (band, sex), c in sorted(counts.items()):
    for name, n in sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[:2000]:
        rows.append((band, sex, title(name), n)); known.add(name.lower())
for (year, sex), ranks in sorted(top100.items()):
    band = year - 4
    zipf = {n: 1000.0 / r for n, r in ranks.items()}
    if band == 1990:
        later = sorted(counts[(1996, sex)].items(), key=lambda kv: (-kv[1], kv[0]))[:1000]
        total_later = sum(n for _, n in later); total_zipf = sum(zipf.values())
        blended = collections.Counter()
        for n, w in zipf.items(): blended[n] += 0.5 * w / total_zipf
        for n, w in later: blended[n] += 0.5 * w / total_later
        items = [(n, max(1, round(w * 1e6))) for n, w in blended.items()]
    else:
        items = [(n, round(w)) for n, w in zipf.items()]
    for name, w in sorted(items, key=lambda kv: (-kv[1], kv[0])):
        rows.append((band, sex, title(name), w)); known.add(name.lower())
write_gz(os.path.join(out, 'firstnames.csv.gz'), ['band', 'sex', 'name', 'weight'], rows)

with open(os.path.join(src, 'uk_surnames.csv')) as f:
    sn = [(title(r['surname']), max(1, round(float(r['freq']) * 1e6))) for r in csv.DictReader(f)]
write_gz(os.path.join(out, 'surnames.csv.gz'), ['name', 'weight'], sn)

with open(os.path.join(src, 'uk_firstname_variants.csv')) as f:
    fv = [(title(r['forename']), title(r['forename2']), r['freq']) for r in csv.DictReader(f)
          if r['forename'].lower() in known and r['forename'].lower() != r['forename2'].lower()]
write_gz(os.path.join(out, 'firstname_variants.csv.gz'), ['name', 'variant', 'weight'], fv)

with open(os.path.join(src, 'uk_surname_variants.csv')) as f:
    sv = [(title(r['lastname1']), title(r['lastname2']), r['freq']) for r in csv.DictReader(f)]
write_gz(os.path.join(out, 'surname_variants.csv.gz'), ['name', 'variant', 'weight'], sv)

shutil.copyfile(os.path.join(errs, 'phonetic_rules.csv'), os.path.join(out, 'phonetic_rules.csv'))
