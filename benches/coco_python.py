"""Counting a COCO/LVIS annotation file the usual Python way, for
benches/annotations.rs: json.load, then instances and images per category.
Prints JSON: seconds, the peak resident memory and the baseline before
loading (MB), and the counts, in the order of "categories".

python3 benches/coco_python.py FILE
"""

import json
import resource
import sys
import time


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(path):
    baseline = peak_mb()
    start = time.perf_counter()
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    index = {c["id"]: i for i, c in enumerate(data["categories"])}
    instances = [0] * len(index)
    sets = {}
    for a in data["annotations"]:
        k = index[a["category_id"]]
        instances[k] += 1
        sets.setdefault(a["image_id"], set()).add(k)
    declared = {image["id"] for image in data["images"]}
    images = [0] * len(index)
    for image, ks in sets.items():
        if image in declared:
            for k in ks:
                images[k] += 1
    seconds = time.perf_counter() - start
    print(json.dumps({
        "seconds": seconds,
        "peak_mb": peak_mb(),
        "baseline_mb": baseline,
        "instances": instances,
        "images": images,
    }))


if __name__ == "__main__":
    main(sys.argv[1])
