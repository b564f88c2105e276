//! An image folder in torchvision's `ImageFolder` layout (one subfolder a
//! class, named after it), counted from the paths of its files relative to
//! the root, so that the CLI (walking the disk) and the page (a picked
//! folder's relative paths) count alike. As `ImageFolder` does: the classes
//! are the subfolders, in sorted order; a class's images are the files
//! anywhere below its folder whose extension (any case) is one of
//! [`IMAGE_EXTENSIONS`]; other files, and files at the root, are not images
//! and are counted apart.

use std::collections::HashMap;

/// torchvision's `IMG_EXTENSIONS`.
pub const IMAGE_EXTENSIONS: [&str; 9] = [
    "jpg", "jpeg", "png", "ppm", "bmp", "pgm", "tif", "tiff", "webp",
];

/// An image folder, counted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FolderCounts {
    /// The class folders, sorted.
    pub names: Vec<String>,
    /// Images a class.
    pub counts: Vec<u64>,
    /// Files in class folders that are not images (by extension).
    pub other_files: u64,
    /// Files at the root, which belong to no class.
    pub root_files: u64,
}

/// Whether a file name ends in `.` and one of [`IMAGE_EXTENSIONS`], in any
/// case (torchvision's `filename.lower().endswith(extensions)`, so `.jpg`
/// alone counts too).
pub fn is_image(name: &str) -> bool {
    name.rsplit_once('.')
        .is_some_and(|(_, ext)| IMAGE_EXTENSIONS.iter().any(|e| e.eq_ignore_ascii_case(ext)))
}

/// Counts the folder whose class subfolders are `classes` (an empty one is a
/// class with no image) and whose files are `files`, as paths relative to
/// the root separated by `/`. A file's class folder not among `classes` is
/// added to them.
pub fn count_image_folder<'a>(
    classes: impl IntoIterator<Item = &'a str>,
    files: impl IntoIterator<Item = &'a str>,
) -> FolderCounts {
    let mut images: HashMap<String, u64> = classes.into_iter().map(|c| (c.to_owned(), 0)).collect();
    let mut out = FolderCounts::default();
    for path in files {
        match path.split_once('/') {
            None => out.root_files += 1,
            Some((class, rest)) => {
                let name = rest.rsplit('/').next().unwrap_or(rest);
                let count = match images.get_mut(class) {
                    Some(n) => n,
                    None => images.entry(class.to_owned()).or_default(),
                };
                if is_image(name) {
                    *count += 1;
                } else {
                    out.other_files += 1;
                }
            }
        }
    }
    let mut classes: Vec<(String, u64)> = images.into_iter().collect();
    classes.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    (out.names, out.counts) = classes.into_iter().unzip();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_like_image_folder() {
        let files = [
            "dog/1.jpg",
            "dog/2.JPEG",
            "dog/deep/3.png",
            "dog/notes.txt",
            "cat/a.webp",
            "cat/.jpg",
            "cat/b.gif",
            "README.md",
            "bird/x.tiff",
        ];
        let c = count_image_folder(["empty", "dog", "cat"], files);
        assert_eq!(c.names, ["bird", "cat", "dog", "empty"]);
        // ".jpg" counts, as torchvision's endswith does; notes.txt and b.gif do not.
        assert_eq!(c.counts, [1, 2, 3, 0]);
        assert_eq!(c.other_files, 2);
        assert_eq!(c.root_files, 1);
    }

    #[test]
    fn extensions_as_torchvision_lists_them() {
        for name in ["a.jpg", "a.Tif", "b.PGM", "c.d.webp", ".png"] {
            assert!(is_image(name), "{name}");
        }
        for name in ["a.gif", "jpg", "a.jpg.txt", "a.", "a_jpg"] {
            assert!(!is_image(name), "{name}");
        }
    }
}
