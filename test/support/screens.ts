/** The screens of a classroom the page must fit (issue 11), and the page's languages as a browser's locale. */
export const PROJECTOR_1024 = { width: 1024, height: 768 };
export const PROJECTOR_1280 = { width: 1280, height: 800 };
export const FULL_HD = { width: 1920, height: 1080 };
export const PHONE = { width: 390, height: 844 };
export const LOCALES = { en: "en-US", tr: "tr-TR" };
